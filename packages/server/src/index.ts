/**
 * @since 0.1.0
 */

/**
 * Admission control: a bound on requests in flight and a maintenance switch, answered 503 before routing.
 *
 * @since 0.1.0
 */
export * as Admission from "./Admission.js"

/**
 * The server's side of `Authentication`: bearer tokens, session cookies with CSRF, scopes, challenges.
 *
 * @since 0.1.0
 */
export * as Authentication from "./Authentication.js"

/**
 * How an Errata server answers: wire format, limits, timeout, debug mode.
 *
 * @since 0.1.0
 */
export * as ErrataConfig from "./ErrataConfig.js"

/**
 * An `HttpApi` served the Errata way: `ErrataServer.layer(api)` and `ErrataServer.group`.
 *
 * @since 0.1.0
 */
export * as ErrataServer from "./ErrataServer.js"

/**
 * Headers an error response gets beside its format's, by error.
 *
 * @since 0.1.0
 */
export * as ErrorHeaders from "./ErrorHeaders.js"

/**
 * Server-side `Idempotency-Key`, with the store in memory (SQL and Redis stores by their own paths).
 *
 * @since 0.1.0
 */
export * as Idempotency from "./Idempotency.js"

/**
 * Structured JSON logs, one line per entry.
 *
 * @since 0.1.0
 */
export * as Logging from "./Logging.js"

/**
 * The Node HTTP server under an Errata server: limits on headers and on the time a request takes to arrive, Node's
 * own refusals answered in the format, and a graceful shutdown.
 *
 * @since 0.1.0
 */
export * as NodeServer from "./NodeServer.js"

/**
 * The OpenAPI document and docs page, showing the real error bodies.
 *
 * @since 0.1.0
 */
export * as OpenApiDocs from "./OpenApiDocs.js"

/**
 * Token-bucket rate limiting (the Redis store is in `@errata/server/RateLimitRedis`).
 *
 * @since 0.1.0
 */
export * as RateLimit from "./RateLimit.js"

/**
 * Helpers for testing a server over real HTTP: `send`, `captureLogs`.
 *
 * @since 0.1.0
 */
export * as Testing from "./Testing.js"

/**
 * The server's side of `Webhook.Signature`: signed webhooks checked before they are parsed.
 *
 * @since 0.1.0
 */
export * as Webhooks from "./Webhooks.js"

/**
 * Request ids: `CurrentRequestId` for handlers.
 *
 * @since 0.1.0
 */
export * as RequestId from "./RequestId.js"
