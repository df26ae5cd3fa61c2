/**
 * The errors an Errata server answers with that no seed document describes: a method a path does not have, a body
 * over the size limit, a body that is not JSON. `Catalog.builtin` is the seed errors and these.
 *
 * @since 0.1.0
 */
import * as CatalogError from "./CatalogError.js";
declare const MethodNotAllowed_base: CatalogError.DefinedClass<MethodNotAllowed, "MethodNotAllowed", "method_not_allowed", {}>;
/**
 * The path exists, but not for this method; the response's `Allow` header lists the methods it has.
 *
 * @since 0.1.0
 * @category errors
 */
export declare class MethodNotAllowed extends MethodNotAllowed_base {
}
declare const PayloadTooLarge_base: CatalogError.DefinedClass<PayloadTooLarge, "PayloadTooLarge", "payload_too_large", {}>;
/**
 * The request body is larger than the server's limit.
 *
 * @since 0.1.0
 * @category errors
 */
export declare class PayloadTooLarge extends PayloadTooLarge_base {
}
declare const UnsupportedMediaType_base: CatalogError.DefinedClass<UnsupportedMediaType, "UnsupportedMediaType", "unsupported_media_type", {}>;
/**
 * The request body's content type is not one the endpoint accepts.
 *
 * @since 0.1.0
 * @category errors
 */
export declare class UnsupportedMediaType extends UnsupportedMediaType_base {
}
export {};
//# sourceMappingURL=FrameworkErrors.d.ts.map