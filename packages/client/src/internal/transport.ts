/**
 * Why a request got no HTTP answer, read from the errors Node, undici and browsers give.
 */
import type { TransportError } from "../TransportError.js"

const codeOf = (cause: unknown): string | undefined => {
  for (let current = cause, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** The reason of a failed connection, from the error codes Node and undici use. */
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
