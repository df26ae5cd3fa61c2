/**
 * The endpoints of an `HttpApi` as the fuzzer reads them (`HttpApi.reflect`): what a request to each is made of —
 * its method and path, the schemas of its path, query, headers and body — and what it may be answered with — its
 * success statuses and every error class it declares (its own, its group's, its middleware's and the framework's
 * that `ErrataApi.make` declares), with the wire format it answers in when it has its own (`ErrataApi.answeredIn`).
 */
import type { HttpApiEndpoint } from "@effect/platform"
import { HttpApi } from "@effect/platform"
import { CatalogError, ErrataApi, WireFormat } from "@errata/domain"
import { BadRequest, NotFound } from "@errata/domain/Errors"
import {
  ExpectationFailed,
  MethodNotAllowed,
  RequestHeaderFieldsTooLarge,
  RequestTimeout
} from "@errata/domain/FrameworkErrors"
import { Context, Option, Schema } from "effect"

/** A body an endpoint takes: its content type, how it is encoded, and its schema. */
export interface Payload {
  readonly contentType: string
  readonly kind: "Json" | "UrlParams" | "Uint8Array" | "Text"
  readonly schema: Schema.Schema<any, any>
}

export interface Endpoint {
  /** `group.endpoint`, as `users.create`. */
  readonly name: string
  readonly method: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps["method"]
  /** The path with its parameters as `:name`. */
  readonly path: string
  readonly pathSchema: Schema.Schema<any, any> | undefined
  readonly querySchema: Schema.Schema<any, any> | undefined
  readonly headersSchema: Schema.Schema<any, any> | undefined
  readonly payloads: ReadonlyArray<Payload>
  /** The keys of the middleware in front of it (`errata/Authentication`, `errata/WebhookSignature`). */
  readonly middleware: ReadonlyArray<string>
  readonly successStatuses: ReadonlySet<number>
  /** Every error class it declares, by tag. */
  readonly errors: ReadonlyMap<string, CatalogError.AnyClass>
  /** The tags of the 5xx errors its own handler declares (a database that fails): a 500 only a real fault gives. */
  readonly handlerFaults: ReadonlySet<string>
  /** The format its errors are answered in whatever the server's, if it has one of its own. */
  readonly format: WireFormat.Any | undefined
}

/**
 * What any request may be answered with besides its endpoint's errors: no route, another method, and what the HTTP
 * server refuses before routing (a malformed request or CONNECT, an Expect it cannot meet, headers too large, too slow
 * to arrive).
 */
export const beforeRouting: ReadonlyArray<CatalogError.AnyClass> = [
  NotFound,
  MethodNotAllowed,
  BadRequest,
  ExpectationFailed,
  RequestHeaderFieldsTooLarge,
  RequestTimeout
]

/** The errors of the HTTP server itself, which answers in the configured format and never in an endpoint's. */
export const serverRefusals: ReadonlySet<string> = new Set(
  [BadRequest, ExpectationFailed, RequestHeaderFieldsTooLarge, RequestTimeout].map((cls) => cls.metadata.tag)
)

const byTag = (classes: Iterable<CatalogError.AnyClass>) =>
  new Map(Array.from(classes, (cls) => [cls.metadata.tag, cls] as const))

/** The errors a request that reaches no endpoint may be answered with, for a server speaking `formats`. */
export const unrouted = (formats: ReadonlyArray<WireFormat.Any>): ReadonlyMap<string, CatalogError.AnyClass> =>
  byTag([
    ...ErrataApi.frameworkErrors(formats).filter(({ occasion }) => occasion === "any").map(({ error }) => error),
    ...beforeRouting
  ])

const option = <A>(schema: Option.Option<A>) => Option.getOrUndefined(schema) as Schema.Schema<any, any> | undefined

/** Every endpoint of `api`. */
export const fromApi = (api: HttpApi.HttpApi.Any): ReadonlyArray<Endpoint> => {
  const found: Array<Endpoint> = []
  HttpApi.reflect(api as HttpApi.HttpApi<string, any, any, never>, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, group, mergedAnnotations, middleware, payloads, successes }) => {
      const declared = new Map<string, CatalogError.AnyClass>()
      for (const { ast } of errors.values()) {
        if (Option.isSome(ast)) for (const cls of CatalogError.classesIn(ast.value)) declared.set(cls.metadata.tag, cls)
      }
      const own = ErrataApi.ownClassesIn(endpoint.errorSchema.ast)
        .concat(ErrataApi.ownClassesIn(group.errorSchema.ast))
      found.push({
        name: `${group.identifier}.${endpoint.name}`,
        method: endpoint.method,
        path: endpoint.path,
        pathSchema: option(endpoint.pathSchema),
        querySchema: option(endpoint.urlParamsSchema),
        headersSchema: option(endpoint.headersSchema),
        payloads: Array.from(payloads, ([contentType, { ast, encoding }]) => ({
          contentType,
          kind: encoding.kind,
          schema: Schema.make(ast)
        })),
        middleware: Array.from(middleware, (tag) => tag.key),
        successStatuses: new Set(successes.keys()),
        errors: declared,
        handlerFaults: new Set(own.filter((cls) => cls.metadata.status >= 500).map((cls) => cls.metadata.tag)),
        format: Option.getOrUndefined(Context.getOption(mergedAnnotations, ErrataApi.AnsweredIn))
      })
    }
  })
  return found
}

/** The schema of one member of a struct schema (a path's parameter), or `undefined`. */
export const memberSchema = (schema: Schema.Schema<any, any> | undefined, name: string) => {
  if (schema === undefined) return undefined
  let ast = schema.ast
  while (ast._tag === "Transformation" || ast._tag === "Refinement") ast = ast._tag === "Transformation" ? ast.to : ast.from
  if (ast._tag !== "TypeLiteral") return undefined
  const member = ast.propertySignatures.find((signature) => signature.name === name)
  return member === undefined ? undefined : Schema.make(member.type)
}

/**
 * The path of a request target as the router serves it, and its query: whatever the case, with doubled and trailing
 * slashes and what follows a `;` left out (the platform's router ends a path there, as some servers end it at a
 * `;jsessionid=…`).
 */
export const asRouted = (target: string) => {
  const [path = "", query] = target.split(/\?(.*)/s)
  const clean = path.split(";")[0]!.toLowerCase().replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1")
  return query === undefined ? clean : `${clean}?${query}`
}

/**
 * The endpoint that serves `method` (`HEAD` as `GET`) on the path of `target`, as the router finds it: a literal
 * segment before a parameter (`/jobs/exports` before `/jobs/:id`). `undefined` when none does.
 */
export const route = (endpoints: Iterable<Endpoint>, method: string, target: string): Endpoint | undefined => {
  const wanted = method === "HEAD" ? "GET" : method
  const segments = asRouted(target).split("?")[0]!.split("/")
  let best: { readonly endpoint: Endpoint; readonly parameters: number } | undefined
  for (const endpoint of endpoints) {
    if (endpoint.method !== wanted) continue
    const template = endpoint.path.toLowerCase().split("/")
    if (template.length !== segments.length) continue
    let parameters = 0
    const matches = template.every((segment, i) => {
      if (!segment.startsWith(":")) return segment === segments[i]
      parameters++
      return segments[i] !== ""
    })
    if (matches && (best === undefined || parameters < best.parameters)) best = { endpoint, parameters }
  }
  return best?.endpoint
}
