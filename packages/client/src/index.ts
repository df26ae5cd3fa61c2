/**
 * @since 0.1.0
 */

/**
 * An adaptive (AIMD) limit on a client's attempts in flight, for overload.
 *
 * @since 0.1.0
 */
export * as AdaptiveConcurrency from "./AdaptiveConcurrency.js"

/**
 * A circuit breaker shared by a client's calls: during an outage, calls wait for a probe instead of sending.
 *
 * @since 0.1.0
 */
export * as CircuitBreaker from "./CircuitBreaker.js"

/**
 * A token source: gets, renews and shares access tokens from an OAuth 2 token endpoint.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * A client derived from an `HttpApi` whose calls fail with exactly the declared errors.
 *
 * @since 0.1.0
 */
export * as ErrataClient from "./ErrataClient.js"

/**
 * Pacing by the server's `RateLimit` and `RateLimit-Policy` headers.
 *
 * @since 0.1.0
 */
export * as RateLimitPacing from "./RateLimitPacing.js"

/**
 * The retry policy, as an Effect `Schedule`, and its parts.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

/**
 * The retry budget shared by a client's calls.
 *
 * @since 0.1.0
 */
export * as RetryBudget from "./RetryBudget.js"

/**
 * The failure of a request that got no HTTP answer.
 *
 * @since 0.1.0
 */
export * as TransportError from "./TransportError.js"

/**
 * Sentences for end users.
 *
 * @since 0.1.0
 */
export * as UserMessage from "./UserMessage.js"

/**
 * Sending signed webhooks.
 *
 * @since 0.1.0
 */
export * as Webhooks from "./Webhooks.js"
