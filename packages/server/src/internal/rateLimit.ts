/**
 * The token bucket behind `RateLimit`, decided synchronously: a bucket per key holds up to `limit` tokens and gains
 * `limit` per window, continuously; a request takes one. No effect, fiber or error is made per request: a decision is
 * a plain value, and the headers that tell the caller are built from three numbers.
 */
import { Duration } from "effect"

/** A limit, resolved. */
export interface Policy {
  readonly name: string
  readonly limit: number
  readonly windowSeconds: number
  /** How long one token takes to come back. */
  readonly refillMillis: number
}

/** What the limiter decided for a request, with the headers that tell the caller. */
export interface Decision {
  readonly allowed: boolean
  /** Seconds until the request may be sent again, when not allowed. */
  readonly retryAfter: number
  readonly headers: Readonly<Record<string, string>>
}

export const policyOf = (limit: number, window: Duration.DurationInput, name: string): Policy => {
  if (!(limit > 0)) throw new Error("RateLimit: limit must be positive")
  const windowMillis = Duration.toMillis(Duration.decode(window))
  if (!(windowMillis > 0)) throw new Error("RateLimit: window must be longer than zero")
  return { name, limit, windowSeconds: Math.ceil(windowMillis / 1000), refillMillis: windowMillis / limit }
}

const headersOf = (policy: Policy, remaining: number, reset: number) => ({
  "ratelimit-policy": `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`,
  "ratelimit": `"${policy.name}";r=${remaining};t=${reset}`,
  "x-ratelimit-limit": String(policy.limit),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": String(reset)
})

/** Allowed, with `remaining` whole tokens left and the bucket full again in `fullInMillis`. */
export const allowed = (policy: Policy, remaining: number, fullInMillis: number): Decision => ({
  allowed: true,
  retryAfter: 0,
  headers: headersOf(policy, remaining, Math.ceil(fullInMillis / 1000))
})

/** Refused until the next token, in `nextInMillis` (at least a second: `Retry-After` counts whole seconds). */
export const denied = (policy: Policy, nextInMillis: number): Decision => {
  const retryAfter = Math.max(1, Math.ceil(nextInMillis / 1000))
  return { allowed: false, retryAfter, headers: headersOf(policy, 0, retryAfter) }
}

/** Let through without a decision: the shared store could not be asked. */
export const allowAll: Decision = { allowed: true, retryAfter: 0, headers: {} }

interface Bucket {
  tokens: number
  at: number
}

/** Buckets are forgotten once full (they would start full anyway), when there are this many. */
const sweepAt = 10_000

/** Token buckets in this process's memory. */
export class Buckets {
  private readonly buckets = new Map<string, Bucket>()
  private sweepAbove = sweepAt
  constructor(readonly policy: Policy) {}

  /** Takes a token from `key`'s bucket at `now` (milliseconds), if it has one. */
  take(key: string, now: number): Decision {
    const { limit, refillMillis } = this.policy
    let bucket = this.buckets.get(key)
    if (bucket === undefined) {
      if (this.buckets.size >= this.sweepAbove) this.sweep(now)
      bucket = { tokens: limit, at: now }
      this.buckets.set(key, bucket)
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.at) / refillMillis)
      bucket.at = now
    }
    if (bucket.tokens < 1) return denied(this.policy, (1 - bucket.tokens) * refillMillis)
    bucket.tokens -= 1
    return allowed(this.policy, Math.floor(bucket.tokens), (limit - bucket.tokens) * refillMillis)
  }

  /** Forgets the buckets that have filled up again; sweeps again only once as many more are kept. */
  private sweep(now: number) {
    const { limit, refillMillis } = this.policy
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) / refillMillis >= limit) this.buckets.delete(key)
    }
    this.sweepAbove = Math.max(sweepAt, this.buckets.size * 2)
  }
}
