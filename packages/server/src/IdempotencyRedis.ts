/**
 * Idempotency keys in Redis, shared by every instance that uses the same Redis and key prefix: a claim is
 * `SET … NX` with the key's time to live. Not exported from the package root: `ioredis` is an optional peer
 * dependency, needed only here.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { Redis } from "ioredis"
import * as Idempotency from "./Idempotency.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends Idempotency.Options {
  /** `redis://[user:password@]host[:port][/db]` */
  readonly url: string
  /** The prefix of the store's keys. Default `errata:idempotency:`. */
  readonly prefix?: string
}

interface Record {
  readonly fingerprint: string
  readonly createdAt: number
  readonly response: Idempotency.StoredResponse | undefined
}

/**
 * A store on a Redis client.
 *
 * @since 0.1.0
 * @category stores
 */
export const store = (redis: Redis, prefix = "errata:idempotency:"): Idempotency.Store => {
  const run = <A>(command: () => Promise<A>) =>
    Effect.tryPromise({ try: command, catch: (cause) => new Idempotency.StoreError({ cause }) })
  const claimOnce = (
    { expiresAt, fingerprint, now, scope, staleBefore }: Idempotency.ClaimRequest,
    again: boolean
  ): Effect.Effect<Idempotency.Claim, Idempotency.StoreError> =>
    Effect.gen(function*() {
      const key = prefix + scope
      const record: Record = { fingerprint, createdAt: now, response: undefined }
      const set = yield* run(() => redis.set(key, JSON.stringify(record), "PX", Math.max(1, expiresAt - now), "NX"))
      if (set === "OK") return { _tag: "Claimed" } as const
      const found = yield* run(() => redis.get(key))
      if (found === null) {
        return again ? yield* claimOnce({ expiresAt, fingerprint, now, scope, staleBefore }, false) : { _tag: "Running" } as const
      }
      const existing = JSON.parse(found) as Record
      if (existing.response === undefined && existing.createdAt < staleBefore && again) {
        // The first request never finished: its process stopped. Take the key over.
        yield* run(() => redis.del(key))
        return yield* claimOnce({ expiresAt, fingerprint, now, scope, staleBefore }, false)
      }
      return Idempotency.decide(existing, fingerprint)
    })
  return {
    claim: (request) => claimOnce(request, true),
    complete: (scope, response, { expiresAt, now }) =>
      Effect.gen(function*() {
        const key = prefix + scope
        const found = yield* run(() => redis.get(key))
        if (found === null) return
        const record: Record = { ...(JSON.parse(found) as Record), response }
        yield* run(() => redis.set(key, JSON.stringify(record), "PX", Math.max(1, expiresAt - now), "XX"))
      }),
    release: (scope) =>
      Effect.gen(function*() {
        const key = prefix + scope
        const found = yield* run(() => redis.get(key))
        if (found !== null && (JSON.parse(found) as Record).response === undefined) yield* run(() => redis.del(key))
      })
  }
}

/**
 * Idempotency with keys in Redis. A Redis that cannot be reached refuses the requests that carry a key (503),
 * until it can be reached again.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Idempotency.Idempotency> =>
  Layer.unwrapScoped(Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true })),
      (redis) => Effect.sync(() => redis.disconnect())
    ),
    (redis) => {
      // Errors reach the commands that fail; without a listener ioredis would also print each one.
      redis.on("error", () => {})
      return Idempotency.layer(store(redis, options.prefix), options)
    }
  ))
