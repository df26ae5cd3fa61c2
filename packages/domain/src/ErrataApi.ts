/**
 * `ErrataApi.make(id)` starts an `HttpApi` that declares, once for every endpoint, the errors an Errata server
 * answers a request with besides the endpoint's own: a request that fails validation or carries a malformed body
 * (the classes the wire formats use for them), a body too large or not JSON, rate limiting, a defect and a
 * timeout. The client derived from the API then decodes each of them into its own class.
 *
 * @since 0.1.0
 */
import { HttpApi } from "@effect/platform"
import type { SchemaAST } from "effect"
import { Context } from "effect"
import * as BuiltinFormats from "./BuiltinFormats.js"
import * as CatalogError from "./CatalogError.js"
import { Conflict, InternalError, InvalidRequest, RateLimitExceeded, Timeout, UnprocessableEntity } from "./Errors.js"
import { PayloadTooLarge, UnsupportedMediaType } from "./FrameworkErrors.js"
import type * as WireFormat from "./WireFormat.js"

/**
 * When the server can answer with a framework error: for any request (`any`), a request with input to validate
 * (`input`: a path, query, headers or body), a request with a body (`body`), a request with an unsafe method and an
 * `Idempotency-Key` (`idempotent`: a key too long or missing where required, reused for another request or while
 * its first request runs), or only when rate limiting is on.
 *
 * @since 0.1.0
 * @category models
 */
export type Occasion = "any" | "input" | "body" | "idempotent" | "rate_limit"

/**
 * A framework error and when the server answers with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FrameworkError {
  readonly error: CatalogError.AnyClass
  readonly occasion: Occasion
}

/**
 * The errors a server speaking these formats answers a request to one of its endpoints with, besides the
 * endpoint's own. A request that reaches no endpoint is answered `not_found` or `method_not_allowed`, and one the
 * HTTP server refuses before routing it (`NodeServer` in `@errata/server`: not HTTP, too slow to arrive, headers
 * too large) `bad_request`, `request_timeout` or `request_header_fields_too_large`, which no endpoint declares.
 *
 * @since 0.1.0
 * @category framework errors
 */
export const frameworkErrors = (
  formats: ReadonlyArray<WireFormat.Any> = BuiltinFormats.all
): ReadonlyArray<FrameworkError> => {
  const seen = new Set<CatalogError.AnyClass>()
  const out: Array<FrameworkError> = []
  const add = (error: CatalogError.AnyClass, occasion: Occasion) => {
    if (seen.has(error)) return
    seen.add(error)
    out.push({ error, occasion })
  }
  for (const format of formats) add(format.envelope.validationError, "input")
  for (const format of formats) add(format.envelope.malformedBody, "body")
  // A declared length over the limit is refused whatever the method.
  add(PayloadTooLarge, "any")
  add(UnsupportedMediaType, "body")
  add(InvalidRequest, "idempotent")
  add(Conflict, "idempotent")
  add(UnprocessableEntity, "idempotent")
  add(RateLimitExceeded, "rate_limit")
  add(InternalError, "any")
  add(Timeout, "any")
  return out
}

/**
 * The union of the framework errors of a list of formats.
 *
 * @since 0.1.0
 * @category models
 */
export type FrameworkErrorOf<Formats extends ReadonlyArray<WireFormat.Any>> =
  | (Formats[number] extends WireFormat.WireFormat<any, infer V, infer M> ? InstanceType<V> | InstanceType<M> : never)
  | PayloadTooLarge
  | UnsupportedMediaType
  | InvalidRequest
  | Conflict
  | UnprocessableEntity
  | RateLimitExceeded
  | InternalError
  | Timeout

/**
 * An `HttpApi` that declares the framework's errors for the given formats (by default every built-in one, so that
 * a client decodes whichever format the server is configured with).
 *
 * @example
 * ```ts
 * import { ErrataApi } from "@errata/domain"
 *
 * class MyApi extends ErrataApi.make("my-api") {}
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const Id extends string, const Formats extends ReadonlyArray<WireFormat.Any> = typeof BuiltinFormats.all>(
  identifier: Id,
  options: { readonly formats?: Formats } = {}
): HttpApi.HttpApi<Id, never, FrameworkErrorOf<Formats>> => {
  let api: HttpApi.HttpApi.Any = HttpApi.make(identifier)
  for (const { error } of frameworkErrors(options.formats ?? BuiltinFormats.all)) {
    api = (api as HttpApi.HttpApi<string, never, unknown>).addError(error.annotations({ [FrameworkDeclarationId]: true }))
  }
  return api as any
}

/**
 * The annotation `make` puts on the framework errors it declares, so that a server can tell them from the errors
 * the API itself declares (its documentation shows only those of the formats it speaks, where they apply).
 *
 * @since 0.1.0
 * @category annotations
 */
export const FrameworkDeclarationId: unique symbol = Symbol.for("errata/ErrataApi/FrameworkDeclaration")

/**
 * The catalog error classes a schema names, leaving out the framework errors `make` declared: the errors an API, its
 * group or its endpoint declares of its own.
 *
 * @since 0.1.0
 * @category reflection
 */
export const ownClassesIn = (ast: SchemaAST.AST): ReadonlyArray<CatalogError.AnyClass> =>
  CatalogError.classesIn(ast, (member) => member.annotations[FrameworkDeclarationId] !== true)

/**
 * The wire format an endpoint (or a group) answers in, whatever the server's: for instance RFC 6749's token
 * endpoint, whose errors keep `{ error, error_description }` (`WireFormat.OAuthStyle`).
 *
 * @since 0.1.0
 * @category annotations
 */
export class AnsweredIn extends Context.Tag("errata/ErrataApi/AnsweredIn")<AnsweredIn, WireFormat.Any>() {}

/**
 * The annotation of an endpoint or a group that answers in `format`: `group.annotateContext(ErrataApi.answeredIn(
 * WireFormat.OAuthStyle))`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const answeredIn = (format: WireFormat.Any): Context.Context<AnsweredIn> => Context.make(AnsweredIn, format)
