import * as GoogleRpc from "./GoogleRpc.js";
import * as WireFormat from "./WireFormat.js";
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
];
/**
 * The built-in formats by name, over `catalog` and with `documentationBase` when given.
 *
 * @since 0.1.0
 * @category formats
 */
export const byName = (options = {}) => Object.fromEntries(all.map((format) => [format.name, WireFormat.make(format.envelope, options)]));
//# sourceMappingURL=BuiltinFormats.js.map