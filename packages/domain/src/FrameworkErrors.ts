/**
 * The errors an Errata server answers with that no seed document describes: a method a path does not have, a body
 * over the size limit, a body that is not JSON. `Catalog.builtin` is the seed errors and these.
 *
 * @since 0.1.0
 */
import * as CatalogError from "./CatalogError.js"

/**
 * The path exists, but not for this method; the response's `Allow` header lists the methods it has.
 *
 * @since 0.1.0
 * @category errors
 */
export class MethodNotAllowed extends CatalogError.Class<MethodNotAllowed>()("MethodNotAllowed", {
  code: "method_not_allowed",
  status: 405,
  category: "protocol",
  description: "The endpoint does not support this HTTP method",
  resolution: "Use one of the methods listed in the Allow header"
}) {}

/**
 * The request body is larger than the server's limit.
 *
 * @since 0.1.0
 * @category errors
 */
export class PayloadTooLarge extends CatalogError.Class<PayloadTooLarge>()("PayloadTooLarge", {
  code: "payload_too_large",
  status: 413,
  category: "protocol",
  description: "The request body is larger than the server accepts",
  resolution: "Send a smaller body, or split the request"
}) {}

/**
 * The request body's content type is not one the endpoint accepts.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedMediaType extends CatalogError.Class<UnsupportedMediaType>()("UnsupportedMediaType", {
  code: "unsupported_media_type",
  status: 415,
  category: "protocol",
  description: "The request body's content type is not supported",
  resolution: "Send the body as application/json with a matching Content-Type header"
}) {}
