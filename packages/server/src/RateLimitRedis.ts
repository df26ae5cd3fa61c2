/**
 * Rate limiting with token buckets in Redis (on `ioredis`), shared by every server that uses the same Redis and key
 * prefix. Each instance reserves a few tokens of a key's bucket at a time and decides from them without a round trip;
 * a bucket Redis found empty is refused here until its next token, also without one. A Redis that cannot be reached
 * lets requests through, and says so in the log. Not exported from the package root: `ioredis` is an optional peer
 * dependency, needed only here.
 *
 * @since 0.1.0
 */
import type { Context } from "effect"
import { Cause, Data, Duration, Effect, Layer } from "effect"
import { Redis } from "ioredis"
import * as internal from "./internal/rateLimit.js"
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
  /** How long to wait for Redis before letting a request through. Default 500 ms. */
  readonly storeTimeout?: Duration.DurationInput
  /**
   * The most tokens of a key's bucket an instance reserves at once: the reservation starts at one, doubles while the
   * key uses it up, and halves when it does not. Default 1% of the limit, at most 100, at least 1 (every request then
   * asks Redis, and the limit is exact).
   */
  readonly reserve?: number
  /** How long reserved tokens are kept; those left are given back with the next reservation. Default 1 second. */
  readonly reserveFor?: Duration.DurationInput
}

/**
 * Takes up to ARGV[1] whole tokens from the bucket KEYS[1], in one step, after giving back ARGV[5] tokens reserved
 * earlier and not used. The bucket holds at most `limit` tokens and gains one every `refill_ms`, continuously (kept in
 * fractions); it expires once it would be full again. Returns { taken, whole tokens left, milliseconds until the next
 * token, milliseconds until full }.
 */
const takeScript = `
local key = KEYS[1]
local at_key = key .. ":at"
local want = tonumber(ARGV[1])
local refill_ms = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local give_back = tonumber(ARGV[5])
local tokens = tonumber(redis.call("GET", key))
local at = tonumber(redis.call("GET", at_key))
if not tokens or not at then
  tokens = limit
  at = now
end
if now > at then
  tokens = math.min(limit, tokens + (now - at) / refill_ms)
  at = now
end
tokens = math.min(limit, tokens + give_back)
local taken = math.min(want, math.floor(tokens))
tokens = tokens - taken
local full_ms = math.ceil((limit - tokens) * refill_ms)
local next_ms = 0
if tokens < 1 then
  next_ms = math.ceil((1 - tokens) * refill_ms)
end
local ttl = math.max(1, full_ms)
redis.call("SET", key, tostring(tokens), "PX", ttl)
redis.call("SET", at_key, tostring(at), "PX", ttl)
return { taken, math.floor(tokens), next_ms, full_ms }`

interface TakingRedis extends Redis {
  take(
    key: string,
    want: number,
    refillMillis: number,
    limit: number,
    now: number,
    giveBack: number
  ): Promise<[taken: number, left: number, nextMillis: number, fullMillis: number]>
}

const connect = (url: string): TakingRedis => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 })
  // A failed command reaches the limiter, which logs it; without a listener ioredis would also print every failed
  // connection attempt to stderr, outside the application's logger.
  redis.on("error", () => {})
  redis.defineCommand("take", { lua: takeScript, numberOfKeys: 1 })
  return redis as TakingRedis
}

class StoreUnavailable extends Data.TaggedError("StoreUnavailable")<{ readonly message: string; readonly cause?: unknown }> {}

/** This instance's share of a key's bucket. */
interface Reservation {
  /** Tokens reserved and not used yet. */
  tokens: number
  /** Whole tokens left in the shared bucket when they were reserved. */
  left: number
  /** When the shared bucket would be full again. */
  fullAt: number
  /** Until when the reserved tokens may be used. */
  until: number
  /** Until when the shared bucket has no token: requests are refused without asking. */
  emptyUntil: number
  /** How many tokens the next reservation asks for. */
  batch: number
}

/** Reservations are forgotten once over and spent, when there are this many. */
const sweepAt = 10_000

/** Rate limiting with buckets in Redis, reserved a few tokens at a time. */
const make = (redis: TakingRedis, options: Options): Context.Tag.Service<RateLimit.RateLimit> => {
  const policy = internal.policyOf(options.limit, options.window ?? "1 minute", options.policy ?? "default")
  const prefix = options.prefix ?? "errata:ratelimit:"
  const key = options.key ?? RateLimit.byRemoteAddress
  const storeTimeout = Duration.toMillis(Duration.decode(options.storeTimeout ?? "500 millis"))
  const maxBatch = Math.max(1, Math.floor(options.reserve ?? Math.min(100, policy.limit / 100)))
  const reserveFor = Duration.toMillis(Duration.decode(options.reserveFor ?? "1 second"))
  const reservations = new Map<string, Reservation>()
  let sweepAbove = sweepAt
  /** The reservation being asked for, per key: one at a time, the other requests of the key wait for it. */
  const asking = new Map<string, Promise<StoreUnavailable | undefined>>()
  /** While Redis does not answer, requests are let through without asking it again, until then. */
  let downUntil = 0

  const sweep = (now: number) => {
    for (const [key, reservation] of reservations) {
      if (reservation.until <= now && reservation.emptyUntil <= now) reservations.delete(key)
    }
    sweepAbove = Math.max(sweepAt, reservations.size * 2)
  }

  /** The decision this instance can make without Redis, if any. */
  const decideHere = (bucket: string, now: number): RateLimit.Decision | undefined => {
    const held = reservations.get(bucket)
    if (held !== undefined) {
      if (held.tokens >= 1 && now < held.until) {
        held.tokens--
        return internal.allowed(policy, held.left + Math.floor(held.tokens), held.fullAt - now)
      }
      if (now < held.emptyUntil) return internal.denied(policy, held.emptyUntil - now)
    }
    return now < downUntil ? internal.allowAll : undefined
  }

  /** Asks Redis for tokens of `bucket`, giving back those of an expired reservation; settles with the failure, if any. */
  const reserve = (bucket: string, now: number): Promise<StoreUnavailable | undefined> => {
    let held = reservations.get(bucket)
    if (held === undefined) {
      if (reservations.size >= sweepAbove) sweep(now)
      held = { tokens: 0, left: 0, fullAt: 0, until: 0, emptyUntil: 0, batch: 0 }
      reservations.set(bucket, held)
    }
    const reservation = held
    const expired = reservation.until <= now
    const giveBack = expired ? Math.floor(reservation.tokens) : 0
    // The first reservation is one token; it doubles while the key uses it up in time, and halves when it does not.
    const batch = reservation.batch === 0
      ? 1
      : !expired
      ? Math.min(maxBatch, reservation.batch * 2)
      : reservation.tokens >= 1
      ? Math.max(1, reservation.batch >> 1)
      : reservation.batch
    if (expired) reservation.tokens = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailable({ message: "The rate limit store did not answer in time" })),
        storeTimeout
      )
      timer.unref()
    })
    const asked = Promise.race([
      redis.take(prefix + bucket, batch, policy.refillMillis, policy.limit, now, giveBack),
      timedOut
    ]).then(
      ([taken, left, nextMillis, fullMillis]) => {
        const at = Date.now()
        reservation.batch = batch
        if (taken === 0) {
          reservation.emptyUntil = at + nextMillis
        } else {
          reservation.tokens += taken
          reservation.left = left
          reservation.fullAt = at + fullMillis
          reservation.until = at + reserveFor
        }
        return undefined
      },
      (cause: unknown) => {
        downUntil = Date.now() + 1000
        return cause instanceof StoreUnavailable
          ? cause
          : new StoreUnavailable({ message: "Failed to execute the rate limit's take command", cause })
      }
    ).finally(() => {
      clearTimeout(timer)
      asking.delete(bucket)
    })
    asking.set(bucket, asked)
    return asked
  }

  const decide = (bucket: string): RateLimit.Decision | Effect.Effect<RateLimit.Decision> => {
    const now = Date.now()
    const here = decideHere(bucket, now)
    if (here !== undefined) return here
    const waiting = asking.get(bucket)
    const reservation = waiting ?? reserve(bucket, now)
    return Effect.flatMap(Effect.promise(() => reservation), (failure) => {
      // The request that asked logs the failure; the others of the moment are let through with it.
      if (failure !== undefined && waiting === undefined) {
        return Effect.as(
          Effect.logWarning("rate limit store unavailable; request let through", Cause.fail(failure)),
          internal.allowAll
        )
      }
      const next = decide(bucket)
      return Effect.isEffect(next) ? next : Effect.succeed(next)
    })
  }

  return {
    options: { limit: policy.limit, policy: policy.name, windowSeconds: policy.windowSeconds },
    check: (request) => decide(key(request))
  }
}

/**
 * Rate limiting with buckets in Redis, on a client of its own, closed with the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit.RateLimit> =>
  Layer.scoped(
    RateLimit.RateLimit,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => connect(options.url)),
        (redis) => Effect.sync(() => redis.disconnect())
      ),
      (redis) => make(redis, options)
    )
  )
