/**
 * The export destination: an HTTP endpoint — an object store, or a customer's URL — that takes an export of the
 * users as `PUT /exports/{name}` and answers `{ "name" }`. Its contract is an Errata API (`UpstreamApi`), and the
 * service calls it through the Errata client with the client's retry policy: an attempt may take `timeout`, and no
 * retry starts after it. No answer in time is `timeout` (504); any other failure — an answer that is not the
 * contract's (not JSON, another body), a 4xx or 5xx, no connection — is `bad_gateway` (502). Both are logged with
 * the upstream's `X-Request-ID`; what the upstream sent never reaches the service's caller.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { ErrataClient, Retry, TransportError } from "@errata/client"
import { ErrataApi } from "@errata/domain"
import { BadGateway, Timeout } from "@errata/domain/Errors"
import { Context, Duration, Effect, FiberRef, Layer, Schema } from "effect"
import { User } from "./User.js"

/** The name an export is stored under. */
export const ExportName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._-]{1,128}$/),
  Schema.annotations({ description: "1 to 128 letters, digits, dots, dashes or underscores" })
)

/** An export: every user as the API shows them — never a password hash. */
export class ExportDocument extends Schema.Class<ExportDocument>("ExportDocument")({
  name: ExportName,
  exportedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("exported_at")),
  users: Schema.Array(User)
}) {}

/** The destination's answer to an export it stored. */
export class Stored extends Schema.Class<Stored>("Stored")({ name: Schema.String }) {}

export class UpstreamExportsApi extends HttpApiGroup.make("exports").add(
  HttpApiEndpoint.put("put")`/exports/${HttpApiSchema.param("name", ExportName)}`
    .setPayload(ExportDocument)
    .addSuccess(Stored)
) {}

/** The contract of the export destination. */
export class UpstreamApi extends ErrataApi.make("upstream").add(UpstreamExportsApi) {}

export interface Options {
  /** The destination's base URL; unset, exports are not configured and fail as the service's own fault. */
  readonly exportUrl?: string | undefined
  /** How long an attempt may take, and after how long no retry starts. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** The destination in use: none unless a layer provides one. */
export class UpstreamSettings extends Context.Reference<UpstreamSettings>()("identity-admin/UpstreamSettings", {
  defaultValue: (): Options => ({})
}) {}

export const layer = (options: Options): Layer.Layer<UpstreamSettings> => Layer.succeed(UpstreamSettings, options)

/** The `X-Request-ID` of the destination's last answer to the delivery in progress: a cell per delivery. */
const answered = FiberRef.unsafeMake<{ requestId: string | undefined }>({ requestId: undefined })

const timedOut = () => new Timeout({ message: "The export destination did not answer in time" })
const badGateway = () => new BadGateway({ message: "The export destination did not accept the export" })

/** Delivers exports to the destination. */
export class Upstream extends Effect.Service<Upstream>()("identity-admin/Upstream", {
  effect: Effect.gen(function*() {
    const settings = yield* UpstreamSettings
    const timeout = Duration.decode(settings.timeout ?? Duration.seconds(10))
    const client = settings.exportUrl === undefined ? undefined : yield* ErrataClient.make(UpstreamApi, {
      baseUrl: settings.exportUrl,
      attemptTimeout: timeout,
      retry: { deadline: timeout },
      transformClient: HttpClient.tap((response) =>
        Effect.map(FiberRef.get(answered), (cell) => {
          cell.requestId = response.headers["x-request-id"]
        })
      )
    })

    const deliver = (document: ExportDocument): Effect.Effect<Stored, BadGateway | Timeout> => {
      if (client === undefined) return Effect.dieMessage("No export destination is configured (ERRATA_EXPORT_URL)")
      const cell = { requestId: undefined as string | undefined }
      return client.exports.put({ path: { name: document.name }, payload: document }).pipe(
        Effect.tap(() =>
          Effect.logInfo({
            message: "export delivered",
            name: document.name,
            upstream_request_id: cell.requestId ?? ""
          })
        ),
        Effect.catchAll((error) => {
          const transport = error instanceof TransportError.TransportError ? error : undefined
          const answer = error instanceof TransportError.TransportError ? undefined : error
          return Effect.zipRight(
            Effect.logWarning({
              message: "export delivery failed",
              name: document.name,
              reason: transport === undefined ? "invalid_answer" : `transport_${transport.reason}`,
              upstream_status: Retry.statusOf(error) ?? 0,
              upstream_request_id: cell.requestId ?? answer?.requestId ?? ""
            }),
            Effect.fail(transport?.reason === "timeout" ? timedOut() : badGateway())
          )
        }),
        Effect.locally(answered, cell)
      )
    }

    return { deliver } as const
  }),
  dependencies: [NodeHttpClient.layerUndici]
}) {}
