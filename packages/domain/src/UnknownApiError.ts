/**
 * `UnknownApiError` is what a wire format's decoder returns for a response it cannot map to a catalog error: a code
 * the catalog does not know, a body in no known shape, a status that disagrees with the code, or no body at all.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RequestId, RetryAfterSeconds } from "./CatalogError.js"
import { withoutStackTrace } from "./internal/stackTrace.js"

/**
 * @since 0.1.0
 * @category errors
 */
export class UnknownApiError extends withoutStackTrace(Schema.TaggedError<UnknownApiError>()("UnknownApiError", {
  status: Schema.Int,
  /** The wire code, when the body had one. */
  code: Schema.optional(Schema.String),
  message: Schema.String,
  /** The start of the raw body, at most `bodyExcerptLength` characters. */
  body: Schema.optional(Schema.String),
  retryAfter: Schema.optional(RetryAfterSeconds),
  requestId: Schema.optional(RequestId)
})) {}

/**
 * How much of an unrecognised body an `UnknownApiError` keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const bodyExcerptLength = 512
