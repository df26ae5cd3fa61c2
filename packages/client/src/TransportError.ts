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

const codeOf = (cause: unknown): string | undefined => {
  for (let current = cause, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The reason of a failed connection, from the error codes Node and undici use.
 *
 * @since 0.1.0
 * @category errors
 */
export const reasonOf = (cause: unknown): TransportError["reason"] => {
  switch (codeOf(cause)) {
    case "ECONNREFUSED":
      return "connection_refused"
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return "connection_reset"
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return "timeout"
    default:
      return "other"
  }
}
