/**
 * The OpenAPI document of an Errata server, at `/openapi.json`, and a docs page at `/docs`. Unlike HttpApi's own
 * document, each error response shows the body the server really sends — the configured wire format's envelope,
 * and RFC 9457 for callers that ask for it — with `X-Request-ID` and `Retry-After`, and lists only the errors an
 * endpoint can answer with: its declared ones, plus the framework's that apply to it.
 *
 * @since 0.1.0
 */
import type { HttpApiGroup } from "@effect/platform"
import { HttpApi, HttpApiBuilder, HttpApiScalar, HttpServerResponse, OpenApi } from "@effect/platform"
import type { AnyCatalogErrorClass } from "@errata/domain"
import { Catalog, InternalError, PayloadTooLarge, RateLimitExceeded, Timeout, UnsupportedMediaType } from "@errata/domain"
import type { WireFormat } from "@errata/domain"
import { Context, Effect, Layer, Option } from "effect"
import type { Resolved } from "./ErrataConfig.js"
import { ErrataConfig } from "./ErrataConfig.js"
import { RateLimit } from "./RateLimit.js"
import { malformedJsonClass, validationClass } from "./ServerFailure.js"

const requestIdHeader = {
  description: "The request id: the caller's X-Request-ID when well formed, else a new one",
  schema: { type: "string" }
}
const retryAfterHeader = { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } }
const allowHeader = { description: "The methods the path supports", schema: { type: "string" } }

const bodySchema = (format: WireFormat.WireFormat<any>, classes: ReadonlyArray<AnyCatalogErrorClass>) => {
  const schemas = classes.map((cls) => format.jsonSchema(cls))
  return schemas.length === 1 ? schemas[0] : { oneOf: schemas }
}

const errorResponse = (config: Resolved, status: number, classes: ReadonlyArray<AnyCatalogErrorClass>) => {
  const formats = config.format.name === "problem-details" ? [config.format] : [config.format, config.problemDetails]
  return {
    description: classes.map((cls) => `\`${cls.metadata.code}\`: ${cls.metadata.description}`).join("; "),
    headers: {
      "X-Request-ID": requestIdHeader,
      ...(status === 429 || status === 503 ? { "Retry-After": retryAfterHeader } : {}),
      ...(status === 405 ? { "Allow": allowHeader } : {})
    },
    content: Object.fromEntries(formats.map((format) => [format.contentType, { schema: bodySchema(format, classes) }]))
  }
}

const openApiPath = (path: string) => path.replace(/:(\w+)\??/g, "{$1}")

/** Schemas under `components` that nothing refers to any more (the `_tag` bodies the error responses had). */
const dropUnreferenced = (spec: Record<string, any>) => {
  const schemas: Record<string, unknown> = spec.components?.schemas ?? {}
  const referenced = new Set<string>()
  const scan = (value: unknown) => {
    for (const match of JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      const name = decodeURIComponent(match[1]!)
      if (!referenced.has(name)) {
        referenced.add(name)
        scan(schemas[name])
      }
    }
  }
  scan({ ...spec, components: { ...spec.components, schemas: {} } })
  spec.components = {
    ...spec.components,
    schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => referenced.has(name)))
  }
}

/**
 * The OpenAPI document of `api` as a server with this configuration answers.
 *
 * @since 0.1.0
 */
export const make = (
  api: HttpApi.HttpApi.Any,
  config: Resolved,
  options: { readonly rateLimited: boolean }
): Record<string, any> => {
  const spec = structuredClone(OpenApi.fromApi(api as HttpApi.HttpApi.AnyWithProps)) as Record<string, any>
  const catalog = config.format.catalog
  const validation = validationClass(config.format)
  const malformedJson = malformedJsonClass(config.format)

  for (const group of Object.values((api as HttpApi.HttpApi.AnyWithProps).groups) as Array<HttpApiGroup.HttpApiGroup.AnyWithProps>) {
    for (const endpoint of Object.values(group.endpoints)) {
      const operation = spec.paths?.[openApiPath(endpoint.path)]?.[endpoint.method.toLowerCase()]
      if (operation === undefined) continue
      const hasPayload = Option.isSome(endpoint.payloadSchema) && endpoint.method !== "GET" && endpoint.method !== "HEAD"
      const hasInput = hasPayload || Option.isSome(endpoint.pathSchema) || Option.isSome(endpoint.urlParamsSchema) ||
        Option.isSome(endpoint.headersSchema)
      const classes = new Set<AnyCatalogErrorClass>([
        ...Catalog.classesIn(catalog, endpoint.errorSchema.ast),
        ...Catalog.classesIn(catalog, group.errorSchema.ast),
        ...(hasInput ? [validation] : []),
        ...(hasPayload ? [malformedJson, PayloadTooLarge, UnsupportedMediaType] : []),
        ...(options.rateLimited ? [RateLimitExceeded] : []),
        InternalError,
        Timeout
      ] as Array<AnyCatalogErrorClass>)
      const byStatus = new Map<number, Array<AnyCatalogErrorClass>>()
      for (const cls of classes) {
        byStatus.set(cls.metadata.status, [...(byStatus.get(cls.metadata.status) ?? []), cls])
      }
      const responses: Record<string, any> = {}
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        if (Number(status) < 400) {
          responses[status] = { ...response, headers: { ...response.headers, "X-Request-ID": requestIdHeader } }
        }
      }
      for (const [status, statusClasses] of [...byStatus].sort(([a], [b]) => a - b)) {
        responses[String(status)] = errorResponse(config, status, statusClasses)
      }
      operation.responses = responses
    }
  }
  dropUnreferenced(spec)
  return spec
}

/**
 * Serves `/openapi.json` and a docs page at `/docs` (Scalar, bundled: it loads nothing from elsewhere).
 *
 * @since 0.1.0
 */
export const layer = (api: HttpApi.HttpApi.Any): Layer.Layer<never, never, ErrataConfig> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const config = yield* ErrataConfig
    const rateLimit = yield* Effect.serviceOption(RateLimit)
    const spec = make(api, config, { rateLimited: Option.isSome(rateLimit) })
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
