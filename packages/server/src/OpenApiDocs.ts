/**
 * The OpenAPI document of an Errata server, at `/openapi.json`, and a docs page at `/docs`. Unlike HttpApi's own
 * document, each error response shows the body the server really sends — in each wire format it answers in, under
 * that format's content type, with an example written by the format itself — with `X-Request-ID` and `Retry-After`,
 * and lists only the errors an endpoint can answer with: its declared ones, plus the framework's that apply to it
 * (`ErrataApi.frameworkErrors`). An endpoint's required scopes (`Authentication.scopes`) appear in its security
 * requirement. Schemas are described for people: Effect's own titles and descriptions (`maxLength(64)`, `a string
 * that will be trimmed`) are left out, their constraints stay as JSON Schema keywords, and a path, query or header
 * parameter is described by the value it holds (`limit`: an integer from 1 to 100), not by the string it travels as.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiBuilder, HttpApiScalar, HttpServerRequest, OpenApi } from "@effect/platform"
import type { HttpApiEndpoint } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { CatalogError, WireFormat } from "@errata/domain"
import { Authentication, ErrataApi, Idempotency as IdempotencyHeader } from "@errata/domain"
import type { Schema } from "effect"
import { Context, Effect, JSONSchema, Layer, Option, Predicate, SchemaAST } from "effect"
import type { Resolved } from "./ErrataConfig.js"
import * as ErrataConfig from "./ErrataConfig.js"
import * as Idempotency from "./Idempotency.js"
import * as ErrorExample from "./internal/errorExample.js"
import { isEffectsDescription, readable } from "./internal/readableSchema.js"
import * as StaticAsset from "./internal/staticAsset.js"
import { RateLimit } from "./RateLimit.js"

/**
 * What the document says about the API itself. Each one left out is taken from the API's own annotations
 * (`OpenApi.Title`, `OpenApi.Version`, `OpenApi.Description`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The API's name, the docs page's title. */
  readonly title?: string
  /** The version of the API (not of OpenAPI), such as the service's package version. */
  readonly version?: string
  /** What the API is for, in Markdown. */
  readonly description?: string
}

const requestIdHeader = {
  description: "The request id: the caller's X-Request-ID when well formed, else a new one",
  schema: { type: "string" }
}
const retryAfterHeader = { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } }
const allowHeader = { description: "The methods the path supports", schema: { type: "string" } }

/**
 * The response for one status: under each format's content type, the bodies of the classes that format answers
 * with at that status (a format's own validation and malformed-body classes differ from another's), with an example
 * of each as the format writes it.
 */
const errorResponse = (
  status: number,
  byFormat: ReadonlyArray<readonly [WireFormat.Any, ReadonlyArray<CatalogError.AnyClass>]>,
  fieldError: CatalogError.FieldError
) => {
  const codes = new Map<string, string>()
  const content: Record<string, unknown> = {}
  for (const [format, classes] of byFormat) {
    const atStatus = classes.filter((cls) => cls.metadata.status === status)
    if (atStatus.length === 0) continue
    for (const cls of atStatus) codes.set(cls.metadata.code, cls.metadata.description)
    const schemas = atStatus.map((cls) => format.jsonSchema(cls))
    const examples: Record<string, unknown> = {}
    for (const cls of atStatus) {
      const value = ErrorExample.body(format, cls, fieldError)
      if (value !== undefined) examples[cls.metadata.code] = { summary: cls.metadata.title, value }
    }
    content[format.contentType] = { schema: schemas.length === 1 ? schemas[0] : { oneOf: schemas }, examples }
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

/**
 * The field a validation error's example names: the first member the body requires, else the first parameter.
 */
const exampleFieldError = (operation: Record<string, any>, schemas: Record<string, any>): CatalogError.FieldError => {
  const body: any = Object.values<any>(operation.requestBody?.content ?? {})[0]?.schema
  const resolved = typeof body?.$ref === "string" && body.$ref.startsWith(componentPrefix)
    ? schemas[decodeURIComponent(body.$ref.slice(componentPrefix.length))]
    : body
  const required = resolved?.required?.[0]
  if (typeof required === "string") return { field: required, message: `${required} is required`, code: "required" }
  const parameter = (operation.parameters ?? []).find((one: any) => one.in === "path" || one.in === "query")
  const field = parameter?.name ?? "body"
  return { field, message: `${field} is not valid`, code: "invalid_format" }
}

/**
 * The JSON Schema of each member of a parameters schema by the value it holds: a path, query or header parameter
 * travels as a string, and a parameter that decodes to a number or a boolean is that (`NumberFromString` with
 * `int()` and `between(1, 100)` is an integer from 1 to 100), with the constraints of its decoded side.
 */
const decodedParameters = (schema: Option.Option<Schema.Schema.All>): Record<string, Record<string, unknown>> => {
  if (Option.isNone(schema)) return {}
  const json = Option.liftThrowable(() =>
    JSONSchema.fromAST(SchemaAST.typeAST(schema.value.ast), {
      definitions: {},
      target: "openApi3.1",
      topLevelReferenceStrategy: "skip"
    }) as { properties?: Record<string, Record<string, unknown>> }
  )()
  const properties = Option.match(json, { onNone: () => ({}), onSome: (one) => one.properties ?? {} })
  const decoded: Record<string, Record<string, unknown>> = {}
  for (const [name, property] of Object.entries(properties)) {
    const decodes = ["integer", "number", "boolean"].includes(property.type as string)
    if (decodes && !("$ref" in property)) decoded[name] = property
  }
  return decoded
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
  options: { readonly rateLimited: boolean; readonly idempotent: boolean } & Options
): Record<string, any> => {
  const spec = structuredClone(OpenApi.fromApi(api as HttpApi.HttpApi.AnyWithProps)) as Record<string, any>
  spec.info = {
    ...spec.info,
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(options.description !== undefined ? { description: options.description } : {})
  }

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
      const decoded = {
        path: decodedParameters(endpointProps.pathSchema),
        query: {
          ...(hasBody(endpointProps) ? {} : decodedParameters(endpointProps.payloadSchema)),
          ...decodedParameters(endpointProps.urlParamsSchema)
        },
        header: decodedParameters(endpointProps.headersSchema)
      }
      for (const parameter of operation.parameters ?? []) {
        const schema = decoded[parameter.in as keyof typeof decoded]?.[parameter.name]
        if (schema !== undefined) parameter.schema = schema
        if (isEffectsDescription(parameter.description)) delete parameter.description
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
      const fieldError = exampleFieldError(operation, spec.components?.schemas ?? {})
      for (const status of Array.from(statuses).sort((a, b) => a - b)) {
        responses[String(status)] = errorResponse(status, byFormat, fieldError)
      }
      operation.responses = responses
    }
  })
  dropUnreferenced(spec)
  if (spec.components?.schemas !== undefined) spec.components.schemas = readable(spec.components.schemas)
  for (const operations of Object.values<any>(spec.paths ?? {})) {
    for (const operation of Object.values<any>(operations)) {
      for (const parameter of operation.parameters ?? []) parameter.schema = readable(parameter.schema)
      for (const media of Object.values<any>(operation.requestBody?.content ?? {})) {
        media.schema = readable(media.schema)
      }
      for (const response of Object.values<any>(operation.responses ?? {})) {
        for (const media of Object.values<any>(response.content ?? {})) media.schema = readable(media.schema)
      }
    }
  }
  return spec
}

/**
 * The document as the docs page shows it. Scalar's example card reads a response's media types as one when they
 * differ only by a structured suffix (`application/problem+json` is `application/json` to it) and shows the last:
 * the page's copy lists the server's own format last, so that the card shows the body the server sends by default.
 */
const forScalar = (spec: Record<string, any>): Record<string, any> => {
  const copy = structuredClone(spec)
  for (const operations of Object.values<any>(copy.paths ?? {})) {
    for (const operation of Object.values<any>(operations)) {
      for (const response of Object.values<any>(operation.responses ?? {})) {
        const [first, ...rest] = Object.entries<unknown>(response.content ?? {})
        if (first !== undefined && rest.length > 0) response.content = Object.fromEntries([...rest, first])
      }
    }
  }
  return copy
}

/**
 * The docs page HttpApiScalar serves for `api`: Scalar's bundle inline, so that the page loads nothing from
 * elsewhere, and the document in the page.
 */
const scalarPage = (api: HttpApi.HttpApi.Any) =>
  Effect.gen(function*() {
    const router = yield* HttpApiBuilder.Router.router
    const response = yield* Effect.provideService(
      router,
      HttpServerRequest.HttpServerRequest,
      HttpServerRequest.fromWeb(new Request("http://localhost/docs"))
    )
    return response.body._tag === "Uint8Array"
      ? new TextDecoder().decode(response.body.body)
      : yield* Effect.dieMessage("OpenApiDocs: HttpApiScalar's page is not a body of bytes")
  }).pipe(
    Effect.provide(
      HttpApiScalar.layer({ path: "/docs", scalar: { withDefaultFonts: false, defaultOpenAllTags: true } }).pipe(
        Layer.provideMerge(HttpApiBuilder.Router.Live),
        Layer.provide(Layer.succeed(HttpApi.Api, { api: api as any, context: Context.empty() }))
      )
    ),
    Effect.provide(NodeHttpServer.layerContext),
    Effect.scoped,
    Effect.orDie
  )

/**
 * Serves `/openapi.json`, a docs page at `/docs` (Scalar, bundled: it loads nothing from elsewhere; every group
 * open, so that a reader's search finds every endpoint) and the error reference at the documentation base
 * (`ErrorPages.layer`), where the problem types point. The document and the page are made once and sent compressed
 * (Brotli or gzip) to a client that accepts it, with an ETag and `Cache-Control: no-cache`: a browser loads the
 * page's megabytes once, then only asks whether they changed.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  api: HttpApi.HttpApi.Any,
  options: Options = {}
): Layer.Layer<never, never, ErrataConfig.ErrataConfig> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const config = yield* ErrataConfig.ErrataConfig
    const rateLimit = yield* Effect.serviceOption(RateLimit)
    const idempotency = yield* Effect.serviceOption(Idempotency.Idempotency)
    const spec = make(api, config, {
      ...options,
      rateLimited: Option.isSome(rateLimit),
      idempotent: Option.isSome(idempotency)
    })
    const documented = (api as HttpApi.HttpApi.AnyWithProps).annotate(OpenApi.Transform, () => forScalar(spec))
    const openApiJson = yield* StaticAsset.make(JSON.stringify(spec), "application/json")
    const docs = yield* StaticAsset.make(yield* scalarPage(documented), "text/html; charset=utf-8")
    const served = HttpApiBuilder.Router.use((router) =>
      Effect.all([router.get("/openapi.json", openApiJson), router.get("/docs", docs)], { discard: true })
    )
    return served
  }))
