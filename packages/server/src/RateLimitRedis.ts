/**
 * Rate limiting with buckets in Redis (`@effect/experimental`'s Redis store, on `ioredis`), shared by every server
 * that uses the same Redis and key prefix. A Redis that cannot be reached lets requests through, and says so in
 * the log. Not exported from the package root: `ioredis` is an optional peer dependency, needed only here.
 *
 * @since 0.1.0
 */
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import { Layer } from "effect"
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
 * Rate limiting with buckets in Redis. The store is given 500 ms per request by default (`storeTimeout`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit.RateLimit> => {
  const url = new URL(options.url)
  const db = Number(url.pathname.slice(1) || "0")
  return RateLimit.layer({ storeTimeout: "500 millis", ...options }).pipe(
    Layer.provide(RateLimiterRedis.layerStore({
      host: url.hostname,
      port: Number(url.port || "6379"),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      db: Number.isInteger(db) ? db : 0,
      prefix: options.prefix ?? "errata:ratelimit:",
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000
    }))
  )
}
