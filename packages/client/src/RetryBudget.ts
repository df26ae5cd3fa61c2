/**
 * A retry budget shared by every call of a client, after the AWS SDK's retry quota: each retry draws its cost from
 * a bucket (1, or 2 for a 500 "with caution"), a retry that succeeds gives its cost back, and each new call adds
 * `depositPerCall`. When every retry fails — an outage — the bucket empties and retries stop, so total traffic stays
 * within about `1 + depositPerCall` times the calls (plus the initial tokens); when retries succeed — occasional
 * failures, a reset connection, throttling — they pay for themselves and are never refused.
 *
 * @since 0.1.0
 */

/**
 * How large the budget is and how fast it refills.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Tokens at the start. Default 20. */
  readonly initialTokens?: number
  /** The most tokens the bucket holds. Default 50. */
  readonly maxTokens?: number
  /** Tokens each new call adds. Default 0.04: in an outage, one retry per 25 calls once the start is spent. */
  readonly depositPerCall?: number
}

/**
 * A budget that retries draw from.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryBudget {
  readonly tokens: () => number
  /** A new logical call. */
  readonly recordCall: () => void
  /** Takes the cost of a retry; false (and nothing taken) when the budget cannot pay it. */
  readonly acquire: (cost: number) => boolean
  /** A retried call succeeded: its retries' cost comes back. */
  readonly refund: (cost: number) => void
}

/**
 * A new budget.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): RetryBudget => {
  const maxTokens = options.maxTokens ?? 50
  const deposit = options.depositPerCall ?? 0.04
  let tokens = Math.min(maxTokens, options.initialTokens ?? 20)
  return {
    tokens: () => tokens,
    recordCall: () => {
      tokens = Math.min(maxTokens, tokens + deposit)
    },
    acquire: (cost) => {
      if (tokens < cost) return false
      tokens -= cost
      return true
    },
    refund: (cost) => {
      tokens = Math.min(maxTokens, tokens + cost)
    }
  }
}

/**
 * A budget that never runs out.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unlimited: RetryBudget = {
  tokens: () => Infinity,
  recordCall: () => {},
  acquire: () => true,
  refund: () => {}
}
