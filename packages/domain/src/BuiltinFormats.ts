/**
 * The wire formats Errata ships, as a list and by name: the seeds' four envelopes, RFC 9457 problem details and
 * Google's error model. Servers read a format's name from their configuration through `byName`; clients recognise
 * any of `all` by default.
 *
 * @since 0.1.0
 */
import type * as Catalog from "./Catalog.js"
import type * as CatalogError from "./CatalogError.js"
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
 * The built-in formats by name, over `catalog` and with `documentationBase` when given.
 *
 * @since 0.1.0
 * @category formats
 */
export const byName = <E extends CatalogError.CatalogError = Catalog.BuiltinError>(
  options: WireFormat.Options<E> = {}
): Readonly<Record<string, WireFormat.WireFormat<E>>> =>
  Object.fromEntries(all.map((format) => [format.name, WireFormat.make(format.envelope as WireFormat.Envelope, options)]))
