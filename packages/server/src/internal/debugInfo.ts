/**
 * Debug details for an error response (seed 004's "Debug Mode"): the stack trace, the request body and headers with
 * secrets redacted, and a timestamp. Only an operator can turn debug mode on (`ErrataConfig`), and then only requests
 * that send `X-Debug: true` get the details.
 */
import type { HttpServerRequest } from "@effect/platform"
import type { CatalogError } from "@errata/domain"
import { Cause, DateTime, Effect } from "effect"

/**
 * Names of members and headers whose values are secrets.
 */
export const secretName =
  /pass(word|wd|phrase)?|secret|token|authorization|cookie|api[-_]?key|credential|private[-_]?key|session|signature|csrf/i

const redacted = "[REDACTED]"
const maxDepth = 16

/**
 * A JSON value with the values of secret-named members replaced, and nesting deeper than 16 levels cut.
 */
export const redact = (value: unknown, depth = 0): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (depth >= maxDepth) return "[TRUNCATED]"
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [key, secretName.test(key) ? redacted : redact(member, depth + 1)])
  )
}

/** Headers with the values of secret-named ones replaced. */
export const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, secretName.test(name) ? redacted : value]))

/**
 * Whether a request asks for debug details.
 */
export const isRequested = (request: HttpServerRequest.HttpServerRequest): boolean =>
  request.headers["x-debug"]?.trim().toLowerCase() === "true"

const formType = /^application\/x-www-form-urlencoded\s*(?:;|$)/i

/**
 * The body as far as it was read (the server caches it), parsed — JSON, or a form — and redacted; other bodies show
 * only their size.
 */
const requestBody = (request: HttpServerRequest.HttpServerRequest, readBody: boolean) =>
  readBody
    ? Effect.match(request.text, {
      onFailure: () => undefined,
      onSuccess: (text): unknown => {
        if (text === "") return undefined
        if (formType.test(request.headers["content-type"] ?? "")) {
          return redact(Object.fromEntries(new URLSearchParams(text)))
        }
        try {
          return redact(JSON.parse(text))
        } catch {
          return `[${text.length} characters that are not JSON]`
        }
      }
    })
    : Effect.succeed(undefined)

/** The debug details of an error response. */
export const make = (options: {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly error: CatalogError.CatalogError
  readonly internal: Cause.Cause<unknown> | undefined
  /** False when the body was refused unread (too large, wrong type): it is not read for debugging either. */
  readonly readBody: boolean
}): Effect.Effect<Record<string, unknown>> =>
  Effect.gen(function*() {
    const body = yield* requestBody(options.request, options.readBody)
    const now = yield* DateTime.now
    return {
      stack_trace: options.internal !== undefined ? Cause.pretty(options.internal) : options.error.stack ?? "",
      request_body: body,
      request_headers: redactHeaders(options.request.headers),
      timestamp: DateTime.formatIso(now)
    }
  })
