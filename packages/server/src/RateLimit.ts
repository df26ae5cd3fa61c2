/**
 * Per-key token-bucket rate limiting on `@effect/experimental`'s `RateLimiter`, with an in-memory store by default
 * and a Redis store so that several server instances share one limit. An Errata server consults it before routing;
 * a rejected request gets 429 `rate_limit_exceeded` with `Retry-After`, the IETF draft's `RateLimit` and
 * `RateLimit-Policy` headers, and `X-RateLimit-Limit`/`-Remaining`/`-Reset`. Every allowed response carries the
 * same headers. When the store fails (Redis unreachable), requests are let through and the failure is logged.
 * The Redis store is in `RateLimitRedis`, apart, so that only servers that use it load `ioredis`.
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import type { HttpServerRequest } from "@effect/platform"
import { Cause, Context, Duration, Effect, Either, Layer, Option } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Requests allowed per window and key. */
  readonly limit: number
  /** Default one minute. */
  readonly window?: Duration.DurationInput
  /** Which bucket a request draws from. Default: the client's address. */
  readonly key?: (request: HttpServerRequest.HttpServerRequest) => string
  /** The policy's name in the `RateLimit` headers. Default `default`. */
  readonly policy?: string
  /**
   * How long to wait for the store before letting a request through. Default: 500 ms for Redis; none in memory,
   * where a timeout would only cost (it races a second fiber on every request).
   */
  readonly storeTimeout?: Duration.DurationInput
}

/**
 * What the limiter decided for a request, with the headers that tell the caller.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly allowed: boolean
  /** Seconds until the request may be sent again, when not allowed. */
  readonly retryAfter: number
  readonly headers: Readonly<Record<string, string>>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class RateLimit extends Context.Tag("errata/RateLimit")<RateLimit, {
  readonly options: Required<Pick<Options, "limit" | "policy">> & { readonly windowSeconds: number }
  readonly check: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<Decision>
}>() {}

/**
 * The client's address, as the socket reports it.
 *
 * @since 0.1.0
 * @category keys
 */
export const byRemoteAddress = (request: HttpServerRequest.HttpServerRequest): string =>
  Option.getOrElse(request.remoteAddress, () => "unknown")

const seconds = (duration: Duration.Duration) => Math.ceil(Duration.toMillis(duration) / 1000)

const headersOf = (policy: string, limit: number, windowSeconds: number, remaining: number, reset: number) => ({
  "ratelimit-policy": `"${policy}";q=${limit};w=${windowSeconds}`,
  "ratelimit": `"${policy}";r=${remaining};t=${reset}`,
  "x-ratelimit-limit": String(limit),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": String(reset)
})

const allowAll: Decision = { allowed: true, retryAfter: 0, headers: {} }

/**
 * Rate limiting on the `RateLimiter` of the context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Context.Tag.Service<RateLimit>, never, RateLimiter.RateLimiter> =>
  Effect.gen(function*() {
    const limiter = yield* RateLimiter.RateLimiter
    const window = Duration.decode(options.window ?? "1 minute")
    const windowSeconds = seconds(window)
    const policy = options.policy ?? "default"
    const key = options.key ?? byRemoteAddress
    const { limit, storeTimeout } = options
    const consume = (request: HttpServerRequest.HttpServerRequest) => {
      const consumed = limiter.consume({ algorithm: "token-bucket", onExceeded: "fail", window, limit, key: key(request) })
      return storeTimeout === undefined ? consumed : Effect.timeout(consumed, storeTimeout)
    }
    return {
      options: { limit, policy, windowSeconds },
      check: (request) =>
        consume(request).pipe(
          Effect.either,
          Effect.flatMap((result): Effect.Effect<Decision> => {
            if (Either.isRight(result)) {
              const { remaining, resetAfter } = result.right
              return Effect.succeed({
                allowed: true,
                retryAfter: 0,
                headers: headersOf(policy, limit, windowSeconds, remaining, seconds(resetAfter))
              })
            }
            const error = result.left
            if (error instanceof RateLimiter.RateLimitExceeded) {
              const retryAfter = Math.max(1, seconds(error.retryAfter))
              return Effect.succeed({
                allowed: false,
                retryAfter,
                headers: headersOf(policy, limit, windowSeconds, 0, retryAfter)
              })
            }
            return Effect.as(
              Effect.logWarning("rate limit store unavailable; request let through", Cause.fail(error)),
              allowAll
            )
          })
        )
    }
  })

/**
 * Rate limiting on the `RateLimiter` store the context provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit, never, RateLimiter.RateLimiterStore> =>
  Layer.effect(RateLimit, make(options)).pipe(Layer.provide(RateLimiter.layer))

/**
 * Rate limiting with buckets in this process's memory.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: Options): Layer.Layer<RateLimit> =>
  layer(options).pipe(Layer.provide(RateLimiter.layerStoreMemory))
