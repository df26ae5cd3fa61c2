/**
 * `TransportError`: the request did not get an HTTP answer — the connection was refused or reset, or the attempt
 * timed out. Retryable like a 503, but a non-idempotent request is only retried when it carries an `Idempotency-Key`:
 * the server may have acted on it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: Schema.Literal("connection_refused", "connection_reset", "timeout", "other"),
  message: Schema.String,
  method: Schema.String,
  url: Schema.String
}) {}
