/**
 * What a failed request becomes on the wire: every way a request can fail — a handler's declared error, bad input, an
 * unknown route, an oversized body, a timeout, a defect — mapped to one catalog error. Which class a validation
 * failure or a malformed body is answered with is the wire format's own choice (its envelope's).
 */
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpServerError from "@effect/platform/HttpServerError"
import type { WireFormat } from "@errata/domain"
import { CatalogError, Validation } from "@errata/domain"
import { InternalError, NotFound, RateLimitExceeded, ServiceUnavailable, Timeout } from "@errata/domain/Errors"
import { MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType } from "@errata/domain/FrameworkErrors"
import { Cause, Data, Option } from "effect"

/** The failure the server raises when a request outlives the handler timeout. */
export class RequestTimedOut extends Data.TaggedError("RequestTimedOut")<{}> {}

/** The failure the server raises for a request body it refuses before reading it. */
export class BodyRejected extends Data.TaggedError("BodyRejected")<{
  readonly reason: "too_large" | "unsupported_media_type" | "too_deep" | "not_utf8" | "lone_surrogate"
  /** For an unsupported media type: the content types the endpoint takes (never the one the caller sent). */
  readonly accepted?: ReadonlyArray<string> | undefined
}> {}

/** A failed request's answer. */
export interface Classified {
  readonly error: CatalogError.CatalogError
  /** For failures that are the server's fault (500): the whole cause, to log; it never reaches the client. */
  readonly internal: Cause.Cause<unknown> | undefined
  readonly headers: Readonly<Record<string, string>>
}

/** What the classification needs to know of the request. */
export interface Request {
  readonly format: WireFormat.Any
  /** Whether the request reached its handler: a decode failure after that is the handler's, not the caller's. */
  readonly handlerEntered: boolean
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
  /** For a request HttpApi refused as invalid: every invalid field of it (`RequestValidation`). */
  readonly violations?: ReadonlyArray<Validation.Violation> | undefined
}

const noHeaders: Readonly<Record<string, string>> = {}

/** The answer to a request that failed with a catalog error, with headers of its own. */
export const answer = (error: CatalogError.CatalogError, headers = noHeaders): Classified => ({ error, internal: undefined, headers })

/** The server builds its errors from values it controls: they skip the constructor's validation. */
const trusted = true

/** A defect: 500 with a generic message; the cause is logged, never sent. */
export const internal = (cause: Cause.Cause<unknown>): Classified => ({
  error: new InternalError({ message: "An internal error occurred. Please try again later." }, trusted),
  internal: cause,
  headers: noHeaders
})

const malformedJson = (format: WireFormat.Any, message = "The request body is not valid JSON") =>
  new format.envelope.malformedBody({ message }, trusted)

/** At most this many field errors are sent: a body of a thousand unknown members gets a bounded answer. */
const maxFieldErrors = 50

/**
 * The answer to invalid input: the class of the rules that failed when all name the same (`InvalidEmail`), else the
 * format's validation error, listing every invalid field.
 */
const invalidInput = (format: WireFormat.Any, violations: ReadonlyArray<Validation.Violation>) => {
  const fieldErrors = Validation.fieldErrors(violations.slice(0, maxFieldErrors))
  const ruleError = violations[0]?.rule?.error
  if (ruleError !== undefined && violations.every(({ rule }) => rule?.error === ruleError)) {
    const message = violations.length === 1 ? violations[0]!.message : Validation.summary(violations)
    return new ruleError({ message, fieldErrors }, trusted)
  }
  return new format.envelope.validationError({ message: Validation.summary(violations), fieldErrors }, trusted)
}

/**
 * The invalid fields of a decode error, for an input `RequestValidation` could not check (a header): named as
 * `Validation` names fields, without the schema's message, which may quote the value.
 */
const violationsOf = (error: HttpApiDecodeError): ReadonlyArray<Validation.Violation> => {
  const byField = new Map<string, Validation.Violation>()
  for (const issue of error.issues) {
    const field = Validation.fieldName(issue.path, "request")
    const [code, says] = issue._tag === "Missing"
      ? ["required", "is required"]
      : issue._tag === "Unexpected"
      ? ["unknown_field", "is not allowed"]
      : ["invalid_type", "is not valid"]
    if (!byField.has(field)) byField.set(field, { field, code, message: `${field} ${says}`, rule: undefined })
  }
  return Array.from(byField.values())
}

const isBodyTooLarge = (u: unknown) =>
  u instanceof HttpServerError.RequestError && u.cause instanceof Error && u.cause.message === "maxBytes exceeded"

const payloadTooLarge = (limit: number) =>
  answer(new PayloadTooLarge({ message: `The request body is larger than ${limit} bytes` }, trusted))

/** A request over its client's rate limit. */
const limited = new Map<number, Classified>()

/** A request over the rate limit. One answer per delay, reused. */
export const rateLimited = (retryAfter: number): Classified => {
  let found = limited.get(retryAfter)
  if (found === undefined) {
    // A long window with a small limit has many delays: the cache is bounded.
    if (limited.size >= 1000) limited.clear()
    found = answer(new RateLimitExceeded({ message: "Rate limit exceeded", retryAfter }, trusted))
    limited.set(retryAfter, found)
  }
  return found
}

const overloaded = new Map<number, Classified>()
const maintenance = new Map<number, Classified>()

/** A request admission turned away: the server is at its bound, or in maintenance. One answer per delay, reused. */
export const unavailable = (reason: "overloaded" | "maintenance", retryAfter: number): Classified => {
  const answers = reason === "overloaded" ? overloaded : maintenance
  let found = answers.get(retryAfter)
  if (found === undefined) {
    const message = reason === "overloaded"
      ? "The service is handling too many requests; try again shortly"
      : "The service is down for maintenance; try again later"
    found = answer(new ServiceUnavailable({ message, retryAfter }, trusted))
    answers.set(retryAfter, found)
  }
  return found
}

/** One answer for every unknown route: it carries nothing of the request (the request id goes on the wire apart). */
const unknownRoute = answer(new NotFound({ message: "No such endpoint" }, trusted))

/** A request no route serves: 405 with `Allow` when its path has routes for other methods, else 404. */
export const noRoute = (allowedMethods: ReadonlyArray<string>): Classified => {
  if (allowedMethods.length === 0) return unknownRoute
  const allow = allowedMethods.join(", ")
  return answer(new MethodNotAllowed({ message: `This endpoint supports ${allow}` }, trusted), { allow })
}

/** The answer to a request that failed with `cause`. */
export const classify = (cause: Cause.Cause<unknown>, request: Request): Classified => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (CatalogError.is(error)) return answer(error)
    if (error instanceof HttpApiDecodeError) {
      if (request.handlerEntered) return internal(cause)
      const violations = request.violations !== undefined && request.violations.length > 0
        ? request.violations
        : violationsOf(error)
      return answer(invalidInput(request.format, violations))
    }
    if (error instanceof RequestTimedOut) {
      return answer(new Timeout({ message: "The request took too long to process" }, trusted))
    }
    if (error instanceof BodyRejected) {
      switch (error.reason) {
        case "too_large":
          return payloadTooLarge(request.maxBodyBytes)
        case "too_deep":
          return answer(malformedJson(request.format, `The request body nests deeper than ${request.maxJsonDepth} levels`))
        case "not_utf8":
          return answer(malformedJson(request.format, "The request body is not valid UTF-8"))
        case "lone_surrogate":
          return answer(malformedJson(request.format, "The request body has a string with a lone surrogate (\\uD800 to \\uDFFF)"))
        case "unsupported_media_type":
          return answer(
            new UnsupportedMediaType({
              message: `The request body must be ${(error.accepted ?? ["application/json"]).join(" or ")}`
            }, trusted)
          )
      }
    }
    // The route table let the request through (see RouteTable), the router, configured more strictly, did not.
    if (error instanceof HttpServerError.RouteNotFound) return noRoute([])
    return internal(cause)
  }
  // Reading the body is a defect for HttpApi (`Effect.orDie(request.json)`): malformed JSON and an oversized body.
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect) && defect.value instanceof HttpServerError.RequestError && defect.value.reason === "Decode") {
    return isBodyTooLarge(defect.value) ? payloadTooLarge(request.maxBodyBytes) : answer(malformedJson(request.format))
  }
  return internal(cause)
}
