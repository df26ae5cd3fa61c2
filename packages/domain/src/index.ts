/**
 * @since 0.1.0
 */

/**
 * Who is calling: `Authentication`, `Principal`, required scopes.
 *
 * @since 0.1.0
 */
export * as Authentication from "./Authentication.js"

/**
 * The wire formats Errata ships, as a list and by name.
 *
 * @since 0.1.0
 */
export * as BuiltinFormats from "./BuiltinFormats.js"

/**
 * A set of catalog error classes with lookup by code and tag.
 *
 * @since 0.1.0
 */
export * as Catalog from "./Catalog.js"

/**
 * The catalog as data and as an error reference page.
 *
 * @since 0.1.0
 */
export * as CatalogDocument from "./CatalogDocument.js"

/**
 * Documented API errors: `CatalogError.Class` and what every catalog error has.
 *
 * @since 0.1.0
 */
export * as CatalogError from "./CatalogError.js"

/**
 * An `HttpApi` that declares the framework's errors.
 *
 * @since 0.1.0
 */
export * as ErrataApi from "./ErrataApi.js"

/**
 * The errors of the seed documents.
 *
 * @since 0.1.0
 */
export * as Errors from "./Errors.js"

/**
 * The framework's own errors: 405, 408, 413, 415, 431.
 *
 * @since 0.1.0
 */
export * as FrameworkErrors from "./FrameworkErrors.js"

/**
 * Google's error model (AIP-193) as a wire format.
 *
 * @since 0.1.0
 */
export * as GoogleRpc from "./GoogleRpc.js"

/**
 * The `Idempotency-Key` header, and endpoints that require it.
 *
 * @since 0.1.0
 */
export * as Idempotency from "./Idempotency.js"

/**
 * The OAuth 2 token and revocation endpoints, as a contract.
 *
 * @since 0.1.0
 */
export * as OAuth from "./OAuth.js"

/**
 * What a decoder gives for a response it cannot map to a catalog error.
 *
 * @since 0.1.0
 */
export * as UnknownApiError from "./UnknownApiError.js"

/**
 * Field errors a person can act on, from parse issues: codes, messages, rules of one's own.
 *
 * @since 0.1.0
 */
export * as Validation from "./Validation.js"

/**
 * Signed webhooks: signing, verifying, and the `Signature` middleware.
 *
 * @since 0.1.0
 */
export * as Webhook from "./Webhook.js"

/**
 * Wire formats: envelopes, `make`, `detect`, and the seed and RFC 9457 formats.
 *
 * @since 0.1.0
 */
export * as WireFormat from "./WireFormat.js"
