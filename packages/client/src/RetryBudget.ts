/**
 * A retry budget shared by every call of a client, after gRPC's retry throttling: a bucket of `maxTokens` that each
 * failed attempt of a retryable kind drains by its cost (1, or 2 for a 500 "with caution") and each success refills by
 * `refillPerSuccess`. Retries are allowed only while the bucket is more than half full, so a full outage stops
 * retrying after about `maxTokens / 2` failures whatever the load, while occasional failures are always retried.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export interface Options {
  /** Default 40: a full outage stops retrying after about 20 failed attempts. */
  readonly maxTokens?: number
  /** Default 0.2: with 10% of attempts failing, the bucket still fills. */
  readonly refillPerSuccess?: number
}

/**
 * @since 0.1.0
 */
export interface RetryBudget {
  readonly tokens: () => number
  readonly recordSuccess: () => void
  /** Records a failed attempt; answers whether a retry is within budget. */
  readonly recordFailure: (cost: number) => boolean
}

/**
 * @since 0.1.0
 */
export const make = (options: Options = {}): RetryBudget => {
  const maxTokens = options.maxTokens ?? 40
  const refill = options.refillPerSuccess ?? 0.2
  let tokens = maxTokens
  return {
    tokens: () => tokens,
    recordSuccess: () => {
      tokens = Math.min(maxTokens, tokens + refill)
    },
    recordFailure: (cost) => {
      tokens = Math.max(0, tokens - cost)
      return tokens > maxTokens / 2
    }
  }
}

/**
 * A budget that never runs out.
 *
 * @since 0.1.0
 */
export const unlimited: RetryBudget = { tokens: () => Infinity, recordSuccess: () => {}, recordFailure: () => true }
