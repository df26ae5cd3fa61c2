/**
 * Rate limiting with token buckets in Redis (on `ioredis`), shared by every server that uses the same Redis and key
 * prefix. A Redis that cannot be reached lets requests through, and says so in the log. Not exported from the
 * package root: `ioredis` is an optional peer dependency, needed only here.
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import { Context, Duration, Effect, Layer } from "effect"
import { Redis } from "ioredis"
import * as RateLimit from "./RateLimit.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends RateLimit.Options {
  /** `redis://[user:password@]host[:port][/db]` */
  readonly url: string
  /** The prefix of the store's keys. Default `errata:ratelimit:`. */
  readonly prefix?: string
}

/**
 * Takes tokens from a bucket that holds at most `limit` and gains one every `refill` milliseconds, in one step; the
 * script of `@effect/experimental`'s Redis store, whose layer makes a client of its own that no one can listen to.
 * KEYS[1]: the bucket; ARGV: tokens, refill, limit, now, overflow (1 or 0). Returns the tokens left, below zero when
 * there were too few (then nothing is taken unless overflow is 1).
 */
const tokenBucketScript = `
local key = KEYS[1]
local last_refill_key = key .. ":refill"
local tokens = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local overflow = ARGV[5] == "1"
local current = tonumber(redis.call("GET", key))
local last_refill = tonumber(redis.call("GET", last_refill_key))

if not current then
  current = limit
  last_refill = now
  redis.call("SET", key, current)
  redis.call("SET", last_refill_key, last_refill)
end

local elapsed = now - last_refill
local refill_amount = math.floor(elapsed / refill_ms)
if refill_amount > 0 then
  current = math.min(current + refill_amount, limit)
  last_refill = last_refill + (refill_amount * refill_ms)
  redis.call("SET", last_refill_key, last_refill)
end

local next = current - tokens
if next < 0 and not overflow then
  redis.call("SET", key, current)
  return next
end

redis.call("SET", key, next)
return next`

interface TokenBucketRedis extends Redis {
  tokenBucket(key: string, tokens: number, refill: number, limit: number, now: number, overflow: 0 | 1): Promise<number>
}

const connect = (url: string): TokenBucketRedis => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 })
  // A failed command reaches RateLimit, which logs it with the request it lets through; without a listener ioredis
  // would also print every failed connection attempt to stderr, outside the application's logger.
  redis.on("error", () => {})
  redis.defineCommand("tokenBucket", { lua: tokenBucketScript, numberOfKeys: 1 })
  return redis as TokenBucketRedis
}

// Errata's RateLimit asks for token buckets only.
const store = (redis: TokenBucketRedis, prefix: string): Context.Tag.Service<RateLimiter.RateLimiterStore> => ({
  fixedWindow: () =>
    Effect.fail(new RateLimiter.RateLimitStoreError({ message: "Errata's Redis store keeps token buckets only" })),
  tokenBucket: ({ allowOverflow, key, limit, refillRate, tokens }) =>
    Effect.clockWith((clock) =>
      Effect.tryPromise({
        try: () =>
          redis.tokenBucket(
            prefix + key,
            tokens,
            Duration.toMillis(refillRate),
            limit,
            clock.unsafeCurrentTimeMillis(),
            allowOverflow ? 1 : 0
          ),
        catch: (cause) =>
          new RateLimiter.RateLimitStoreError({ message: "Failed to execute tokenBucket rate limiting command", cause })
      })
    )
})

/**
 * Rate limiting with buckets in Redis. The store is given 500 ms per request by default (`storeTimeout`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit.RateLimit> =>
  RateLimit.layer({ storeTimeout: "500 millis", ...options }).pipe(
    Layer.provide(Layer.scoped(
      RateLimiter.RateLimiterStore,
      Effect.map(
        Effect.acquireRelease(
          Effect.sync(() => connect(options.url)),
          (redis) => Effect.sync(() => redis.disconnect())
        ),
        (redis) => store(redis, options.prefix ?? "errata:ratelimit:")
      )
    ))
  )
