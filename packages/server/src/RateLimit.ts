/**
 * Per-key token-bucket rate limiting, in this process's memory by default; `RateLimitRedis` shares the buckets
 * between server instances. An Errata server consults it before routing; a rejected request gets 429
 * `rate_limit_exceeded` with `Retry-After`, the IETF draft's `RateLimit` and `RateLimit-Policy` headers, and
 * `X-RateLimit-Limit`/`-Remaining`/`-Reset`. Every allowed response carries the same headers. When a shared store
 * fails (Redis unreachable), requests are let through and the failure is logged.
 *
 * A decision is made synchronously wherever it can be (always in memory; with Redis, from the tokens this instance
 * has reserved): rejecting a request must cost a small fraction of serving one.
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "@effect/platform"
import type { Duration, Effect } from "effect"
import { Context, Layer, Option } from "effect"
import * as internal from "./internal/rateLimit.js"

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
}

/**
 * What the limiter decided for a request, with the headers that tell the caller.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision extends internal.Decision {}

/**
 * @since 0.1.0
 * @category tags
 */
export class RateLimit extends Context.Tag("errata/RateLimit")<RateLimit, {
  readonly options: { readonly limit: number; readonly policy: string; readonly windowSeconds: number }
  /** The decision for a request: a value when it is made here and now, an effect when a shared store is asked. */
  readonly check: (request: HttpServerRequest.HttpServerRequest) => Decision | Effect.Effect<Decision>
}>() {}

/**
 * The client's address, as the socket reports it.
 *
 * @since 0.1.0
 * @category keys
 */
export const byRemoteAddress = (request: HttpServerRequest.HttpServerRequest): string =>
  Option.getOrElse(request.remoteAddress, () => "unknown")

/**
 * Rate limiting with buckets in this process's memory: every decision is synchronous.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Context.Tag.Service<RateLimit> => {
  const policy = internal.policyOf(options.limit, options.window ?? "1 minute", options.policy ?? "default")
  const buckets = new internal.Buckets(policy)
  const key = options.key ?? byRemoteAddress
  return {
    options: { limit: policy.limit, policy: policy.name, windowSeconds: policy.windowSeconds },
    check: (request) => buckets.take(key(request), Date.now())
  }
}

/**
 * Rate limiting with buckets in this process's memory.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: Options): Layer.Layer<RateLimit> => Layer.sync(RateLimit, () => make(options))
