/**
 * The errors an Errata server answers with that no seed document describes: a method a path does not have, a
 * request that does not arrive in time, a body over the size limit, a body that is not JSON, an expectation the
 * server cannot meet, a request line and headers over the size limit. `Catalog.builtin` is the seed errors and these.
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
 * The request did not arrive in time: its headers, or the whole of it, took longer than the server waits for them.
 * The connection is closed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestTimeout extends CatalogError.Class<RequestTimeout>()("RequestTimeout", {
  code: "request_timeout",
  status: 408,
  category: "protocol",
  retry: "with_backoff",
  description: "The request did not arrive within the time the server waits for it",
  resolution: "Send the whole request without pausing, on a new connection"
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

/**
 * The request's `Expect` header asks for something other than `100-continue`, the only expectation HTTP/1.1 defines
 * (RFC 9110, section 10.1.1). The connection is closed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ExpectationFailed extends CatalogError.Class<ExpectationFailed>()("ExpectationFailed", {
  code: "expectation_failed",
  status: 417,
  category: "protocol",
  description: "The request's Expect header asks for an expectation the server cannot meet",
  resolution: "Send Expect: 100-continue or no Expect header"
}) {}

/**
 * The request line (the URL included) and headers are larger than the server's limit. The connection is closed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestHeaderFieldsTooLarge extends CatalogError.Class<RequestHeaderFieldsTooLarge>()(
  "RequestHeaderFieldsTooLarge",
  {
    code: "request_header_fields_too_large",
    status: 431,
    category: "protocol",
    description: "The request's URL and headers are larger than the server accepts",
    resolution: "Send a shorter URL, or fewer and smaller headers (cookies included)"
  }
) {}
