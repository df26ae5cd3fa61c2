/**
 * The wire formats Errata ships, as a list and by name: the seeds' four envelopes, RFC 9457 problem details and
 * Google's error model. Servers read a format's name from their configuration through `byName`; clients recognise
 * any of `all` by default.
 *
 * @since 0.1.0
 */
import type * as Catalog from "./Catalog.js";
import type * as CatalogError from "./CatalogError.js";
import * as WireFormat from "./WireFormat.js";
/**
 * The six formats over the built-in catalog, from the most specific shape to the least: the order in which a
 * detecting decoder tries them.
 *
 * @since 0.1.0
 * @category formats
 */
export declare const all: readonly [WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationError, typeof import("./Errors.js").InvalidJson>, WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationFailed, typeof import("./Errors.js").InvalidJson>, WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationError, typeof import("./Errors.js").BadRequest>, WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationError, typeof import("./Errors.js").BadRequest>, WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationFailed, typeof import("./Errors.js").BadRequest>, WireFormat.WireFormat<Catalog.BuiltinError, typeof import("./Errors.js").ValidationError, typeof import("./Errors.js").InvalidJson>];
/**
 * The built-in formats by name, over `catalog` and with `documentationBase` when given.
 *
 * @since 0.1.0
 * @category formats
 */
export declare const byName: <E extends CatalogError.CatalogError = Catalog.BuiltinError>(options?: WireFormat.Options<E>) => Readonly<Record<string, WireFormat.WireFormat<E>>>;
//# sourceMappingURL=BuiltinFormats.d.ts.map