/**
 * The OpenAPI document of an Errata server, at `/openapi.json`, and a docs page at `/docs`. Unlike HttpApi's own
 * document, each error response shows the body the server really sends — in each wire format it answers in, under
 * that format's content type — with `X-Request-ID` and `Retry-After`, and lists only the errors an endpoint can
 * answer with: its declared ones, plus the framework's that apply to it (`ErrataApi.frameworkErrors`). An endpoint's
 * required scopes (`Authentication.scopes`) appear in its security requirement.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiBuilder, HttpApiScalar, HttpServerResponse, OpenApi } from "@effect/platform"
import type { HttpApiEndpoint } from "@effect/platform"
import type { CatalogError, WireFormat } from "@errata/domain"
import { Authentication, ErrataApi, Idempotency as IdempotencyHeader } from "@errata/domain"
import { Context, Effect, Layer, Option, Predicate } from "effect"
import type { Resolved } from "./ErrataConfig.js"
import * as ErrataConfig from "./ErrataConfig.js"
import * as Idempotency from "./Idempotency.js"
import { RateLimit } from "./RateLimit.js"

const requestIdHeader = {
  description: "The request id: the caller's X-Request-ID when well formed, else a new one",
  schema: { type: "string" }
}
const retryAfterHeader = { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } }
const allowHeader = { description: "The methods the path supports", schema: { type: "string" } }

/**
 * The response for one status: under each format's content type, the bodies of the classes that format answers
 * with at that status (a format's own validation and malformed-body classes differ from another's).
 */
const errorResponse = (
  status: number,
  byFormat: ReadonlyArray<readonly [WireFormat.Any, ReadonlyArray<CatalogError.AnyClass>]>
) => {
  const codes = new Map<string, string>()
  const content: Record<string, unknown> = {}
  for (const [format, classes] of byFormat) {
    const atStatus = classes.filter((cls) => cls.metadata.status === status)
    if (atStatus.length === 0) continue
    for (const cls of atStatus) codes.set(cls.metadata.code, cls.metadata.description)
    const schemas = atStatus.map((cls) => format.jsonSchema(cls))
    content[format.contentType] = { schema: schemas.length === 1 ? schemas[0] : { oneOf: schemas } }
  }
  return {
    description: Array.from(codes, ([code, description]) => `\`${code}\`: ${description}`).join("; "),
    headers: {
      "X-Request-ID": requestIdHeader,
      ...(status === 429 || status === 503 ? { "Retry-After": retryAfterHeader } : {}),
      ...(status === 405 ? { "Allow": allowHeader } : {})
    },
    content
  }
}

const openApiPath = (path: string) => path.replace(/:(\w+)\??/g, "{$1}")

const componentPrefix = "#/components/schemas/"

/** The component schemas a value refers to (`$ref`), directly. */
const referencesIn = (value: unknown, found: Set<string>): Set<string> => {
  if (Array.isArray(value)) value.forEach((item) => referencesIn(item, found))
  else if (Predicate.isRecord(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (key === "$ref" && typeof member === "string" && member.startsWith(componentPrefix)) {
        found.add(decodeURIComponent(member.slice(componentPrefix.length)))
      } else referencesIn(member, found)
    }
  }
  return found
}

/** Keeps the component schemas something still refers to: HttpApi's own error bodies are replaced, and go. */
const dropUnreferenced = (spec: Record<string, any>) => {
  const schemas: Record<string, unknown> = spec.components?.schemas ?? {}
  const kept = referencesIn({ ...spec, components: { ...spec.components, schemas: {} } }, new Set())
  let size = -1
  while (size !== kept.size) {
    size = kept.size
    for (const name of Array.from(kept)) referencesIn(schemas[name], kept)
  }
  spec.components = {
    ...spec.components,
    schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)))
  }
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"])

const hasInput = (endpoint: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps) =>
  Option.isSome(endpoint.payloadSchema) || Option.isSome(endpoint.pathSchema) ||
  Option.isSome(endpoint.urlParamsSchema) || Option.isSome(endpoint.headersSchema)

const hasBody = (endpoint: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps) =>
  Option.isSome(endpoint.payloadSchema) && endpoint.method !== "GET" && endpoint.method !== "HEAD"

/**
 * The OpenAPI document of `api` as a server with this configuration answers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  api: HttpApi.HttpApi.Any,
  config: Resolved,
  options: { readonly rateLimited: boolean; readonly idempotent: boolean }
): Record<string, any> => {
  const spec = structuredClone(OpenApi.fromApi(api as HttpApi.HttpApi.AnyWithProps)) as Record<string, any>

  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, mergedAnnotations }) => {
      const operation = spec.paths?.[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()]
      if (operation === undefined) return
      const endpointProps = endpoint as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps
      const scopes = Option.getOrElse(Context.getOption(mergedAnnotations, Authentication.RequiredScopes), () => [])
      const keyRequired = Option.getOrElse(Context.getOption(mergedAnnotations, IdempotencyHeader.KeyRequired), () => false)
      const keyIgnored = Option.getOrElse(Context.getOption(mergedAnnotations, IdempotencyHeader.KeyIgnored), () => false)
      const applies = {
        any: true,
        input: hasInput(endpointProps),
        body: hasBody(endpointProps),
        idempotent: unsafeMethods.has(endpoint.method) && !keyIgnored && (options.idempotent || keyRequired),
        rate_limit: options.rateLimited
      }
      if (applies.idempotent) {
        operation.parameters = [...(operation.parameters ?? []), {
          name: IdempotencyHeader.header,
          in: "header",
          required: keyRequired,
          description: "One key per logical request, the same on every retry: a repeat gets the first response.",
          schema: { type: "string", minLength: 1, maxLength: IdempotencyHeader.maxKeyLength }
        }]
      }
      if (scopes.length > 0 && Array.isArray(operation.security)) {
        operation.security = operation.security.map((requirement: Record<string, Array<string>>) =>
          Object.fromEntries(Object.keys(requirement).map((scheme) => [scheme, [...scopes]]))
        )
      }
      const declared = Array.from(errors.values()).flatMap(({ ast }) =>
        Option.isSome(ast) ? ErrataApi.ownClassesIn(ast.value) : []
      )
      const formats = Option.match(Context.getOption(mergedAnnotations, ErrataApi.AnsweredIn), {
        onNone: () => config.formats,
        onSome: (format) => [format]
      })
      const byFormat = formats.map((format) =>
        [
          format,
          Array.from(
            new Set([
              ...declared,
              ...ErrataApi.frameworkErrors([format]).filter(({ occasion }) => applies[occasion]).map(({ error }) => error)
            ])
          )
        ] as const
      )
      const statuses = new Set(byFormat.flatMap(([, classes]) => classes.map((cls) => cls.metadata.status)))
      const responses: Record<string, any> = {}
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        if (Number(status) < 400) {
          responses[status] = { ...response, headers: { ...response.headers, "X-Request-ID": requestIdHeader } }
        }
      }
      for (const status of Array.from(statuses).sort((a, b) => a - b)) {
        responses[String(status)] = errorResponse(status, byFormat)
      }
      operation.responses = responses
    }
  })
  dropUnreferenced(spec)
  return spec
}

/**
 * Serves `/openapi.json` and a docs page at `/docs` (Scalar, bundled: it loads nothing from elsewhere).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (api: HttpApi.HttpApi.Any): Layer.Layer<never, never, ErrataConfig.ErrataConfig> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const config = yield* ErrataConfig.ErrataConfig
    const rateLimit = yield* Effect.serviceOption(RateLimit)
    const idempotency = yield* Effect.serviceOption(Idempotency.Idempotency)
    const spec = make(api, config, { rateLimited: Option.isSome(rateLimit), idempotent: Option.isSome(idempotency) })
    const json = JSON.stringify(spec)
    const documented = (api as HttpApi.HttpApi.AnyWithProps).annotate(OpenApi.Transform, () => spec)
    const openApiJson = HttpApiBuilder.Router.use((router) =>
      router.get("/openapi.json", Effect.succeed(HttpServerResponse.text(json, { contentType: "application/json" })))
    )
    const docs = HttpApiScalar.layer({ path: "/docs", scalar: { withDefaultFonts: false } }).pipe(
      Layer.provide(Layer.succeed(HttpApi.Api, { api: documented as any, context: Context.empty() }))
    )
    return Layer.merge(openApiJson, docs)
  }))
