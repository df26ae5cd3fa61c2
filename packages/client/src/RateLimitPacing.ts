/**
 * Pacing by the rate limit the server announces, in the IETF draft's headers (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit: "default";r=<remaining>;t=<seconds to reset>` and `RateLimit-Policy: "default";q=<quota>;w=<window>`,
 * which an Errata server sends on every answer. When nothing remains, the client's new attempts are held until the
 * reset; while some remains, attempts are spread over the time to the reset (`t / r` apart, never further apart than
 * the policy's `w / q`), so that the client does not spend its quota in a burst and meet 429s. Where a header lists
 * several limits, the strictest is followed. Without the headers, nothing is paced.
 *
 * @since 0.1.0
 */

/**
 * One limit of a `RateLimit` header: `remaining` units left, and `reset` seconds until the quota is restored.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quota {
  readonly policy: string
  readonly remaining: number
  readonly reset: number
}

/**
 * One limit of a `RateLimit-Policy` header: `quota` units per `window` seconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface QuotaPolicy {
  readonly policy: string
  readonly quota: number
  readonly window: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Pacing {
  /** Reads an answer's `RateLimit` and `RateLimit-Policy` headers, received at `now` (`Clock` milliseconds). */
  readonly observe: (rateLimit: string | undefined, ratePolicy: string | undefined, now: number) => void
  /** Whether no pacing is in force: attempts may go at once. */
  readonly idle: () => boolean
  /**
   * Reserves the next moment an attempt may start, at or after `now`, and returns how long to wait for it; or
   * `undefined`, reserving nothing, when that moment is after `deadlineAt`.
   */
  readonly reserve: (now: number, deadlineAt: number) => number | undefined
}

/** Parses a structured-field list: items of a name (token or quoted string) and `;key=integer` parameters. */
const parseList = (header: string): Array<{ readonly name: string; readonly params: Map<string, number> }> => {
  const items: Array<{ name: string; params: Map<string, number> }> = []
  for (const raw of header.split(",")) {
    const parts = raw.split(";")
    const name = parts[0]!.trim().replace(/^"(.*)"$/, "$1")
    const params = new Map<string, number>()
    for (const part of parts.slice(1)) {
      const match = /^\s*([a-z][a-z0-9_.*-]*)\s*=\s*(\d+)\s*$/i.exec(part)
      if (match !== null) params.set(match[1]!.toLowerCase(), Number(match[2]))
    }
    items.push({ name, params })
  }
  return items
}

/**
 * The limits of a `RateLimit` header (`"default";r=50;t=30`); items without `r` are left out, a missing `t` is 0.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRateLimit = (header: string): ReadonlyArray<Quota> =>
  parseList(header).flatMap(({ name, params }) => {
    const remaining = params.get("r")
    return remaining === undefined ? [] : [{ policy: name, remaining, reset: params.get("t") ?? 0 }]
  })

/**
 * The policies of a `RateLimit-Policy` header (`"default";q=100;w=60`); items without `q` are left out.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRateLimitPolicy = (header: string): ReadonlyArray<QuotaPolicy> =>
  parseList(header).flatMap(({ name, params }) => {
    const quota = params.get("q")
    return quota === undefined || quota === 0 ? [] : [{ policy: name, quota, window: params.get("w") }]
  })

/**
 * A new pacing, idle until an answer carries the headers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Pacing => {
  /** No attempt starts before this. */
  let heldUntil = 0
  /** The least time between the starts of two attempts. */
  let spacing = 0
  let nextStart = 0

  return {
    observe: (rateLimit, ratePolicy, now) => {
      if (rateLimit === undefined) return
      const policies = ratePolicy === undefined ? [] : parseRateLimitPolicy(ratePolicy)
      let hold = 0
      let gap = 0
      for (const { policy, remaining, reset } of parseRateLimit(rateLimit)) {
        const own = policies.find((candidate) => candidate.policy === policy)
        const steady = own?.window === undefined ? Infinity : (own.window * 1000) / own.quota
        if (remaining === 0) {
          hold = Math.max(hold, reset * 1000)
          if (steady !== Infinity) gap = Math.max(gap, steady)
        } else if (reset > 0) {
          gap = Math.max(gap, Math.min((reset * 1000) / remaining, steady))
        }
      }
      heldUntil = hold > 0 ? Math.max(heldUntil, now + hold) : heldUntil
      spacing = gap
    },
    idle: () => spacing === 0 && heldUntil === 0,
    reserve: (now, deadlineAt) => {
      if (heldUntil !== 0 && heldUntil <= now && nextStart <= now) heldUntil = 0
      const start = Math.max(now, heldUntil, nextStart)
      if (start > deadlineAt) return undefined
      nextStart = start + spacing
      return start - now
    }
  }
}
