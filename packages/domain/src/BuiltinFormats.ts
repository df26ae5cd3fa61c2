/**
 * The wire formats Errata ships, as a list and by name: the seeds' four envelopes, RFC 9457 problem details and
 * Google's error model. A server reads a format's name from its configuration in `byName` (or a record of its own
 * that adds formats to it); a client recognises any of `all` by default.
 *
 * @since 0.1.0
 */
import * as GoogleRpc from "./GoogleRpc.js"
import * as WireFormat from "./WireFormat.js"

/**
 * The six formats over the built-in catalog, from the most specific shape to the least: the order in which a
 * detecting decoder tries them.
 *
 * @since 0.1.0
 * @category formats
 */
export const all = [
  WireFormat.ProblemDetails,
  GoogleRpc.format,
  WireFormat.NestedError,
  WireFormat.CodeMessage,
  WireFormat.OAuthStyle,
  WireFormat.OAuthDetails
] as const

/**
 * The six formats by name.
 *
 * @since 0.1.0
 * @category formats
 */
export const byName: Readonly<Record<string, WireFormat.Any>> = Object.fromEntries(
  all.map((format) => [format.name, format])
)
