/**
 * @since 0.1.0
 */

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
 * Structured JSON logs, one line per entry.
 *
 * @since 0.1.0
 */
export * as Logging from "./Logging.js"

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
 * Request ids: `CurrentRequestId` for handlers.
 *
 * @since 0.1.0
 */
export * as RequestId from "./RequestId.js"
