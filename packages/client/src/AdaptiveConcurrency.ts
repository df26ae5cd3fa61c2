/**
 * An adaptive limit on the attempts a client has in flight, by AIMD (additive increase, multiplicative decrease), for
 * overload. There is no limit until the server first says it is overloaded (429 or 503): the limit then starts at
 * what was in flight, times `decrease`, and every further overload answer multiplies it by `decrease` again; every
 * other answer, while at least half the limit is in use, adds `1 / limit` (one per round trip of the whole window).
 * Attempts above the limit wait in line, first come first served, up to their call's deadline.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { ClientError } from "./Retry.js"
import { statusOf } from "./Retry.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** What an overload answer multiplies the limit by. Default 0.9. */
  readonly decrease?: number
  /** The lowest limit. Default 1. */
  readonly minLimit?: number
  /** The highest limit. Default: none. */
  readonly maxLimit?: number
}

/**
 * What an attempt met, for the limit: an overload answer, another answer, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome = "overload" | "answered" | "unanswered"

/**
 * @since 0.1.0
 * @category models
 */
export interface AdaptiveConcurrency {
  /** The attempts allowed in flight; `Infinity` until the first overload answer. */
  readonly limit: () => number
  readonly inFlight: () => number
  /** Takes a place for an attempt if the limit allows it now and no one is waiting. */
  readonly tryAcquire: () => boolean
  /**
   * Takes a place for an attempt: at once when the limit allows it, else in line. Fails (with nothing) when
   * `deadlineAt` (`Clock` milliseconds) comes first.
   */
  readonly acquire: (deadlineAt: number) => Effect.Effect<void, void>
  /** Gives the place back, with what the attempt met. */
  readonly release: (outcome: Outcome) => void
}

/**
 * Whether an error is the server's overload answer: 429 or 503.
 *
 * @since 0.1.0
 * @category classification
 */
export const isOverload = (error: ClientError): boolean => {
  const status = statusOf(error)
  return status === 429 || status === 503
}

interface Waiter {
  state: "waiting" | "granted" | "gone"
  resume?: ((effect: Effect.Effect<void>) => void) | undefined
}

/**
 * A new limit, unbounded until the first overload answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): AdaptiveConcurrency => {
  const decrease = options.decrease ?? 0.9
  const minLimit = Math.max(1, options.minLimit ?? 1)
  const maxLimit = options.maxLimit ?? Infinity
  let limit = Infinity
  let inFlight = 0
  const line: Array<Waiter> = []

  const room = () => inFlight < Math.max(minLimit, Math.floor(limit))

  const admitWaiting = () => {
    while (line.length > 0 && room()) {
      const waiter = line.shift()!
      if (waiter.state !== "waiting") continue
      waiter.state = "granted"
      inFlight++
      waiter.resume?.(Effect.void)
    }
  }

  const release = (outcome: Outcome) => {
    if (outcome === "overload") {
      limit = Math.max(minLimit, (limit === Infinity ? inFlight : limit) * decrease)
    } else if (outcome === "answered" && limit !== Infinity && inFlight >= limit / 2) {
      limit = Math.min(maxLimit, limit + 1 / limit)
    }
    inFlight--
    admitWaiting()
  }

  const wait = (deadlineAt: number): Effect.Effect<void, void> =>
    Effect.suspend(() => {
      const waiter: Waiter = { state: "waiting" }
      line.push(waiter)
      const granted = Effect.async<void>((resume) => {
        if (waiter.state === "granted") return resume(Effect.void)
        waiter.resume = resume
      })
      // A place granted as the deadline comes, or to a call interrupted meanwhile, goes back at once.
      const leave = Effect.sync(() => {
        if (waiter.state === "granted") release("unanswered")
        waiter.state = "gone"
      })
      return Effect.clockWith((clock) => clock.currentTimeMillis).pipe(
        Effect.flatMap((now) =>
          Effect.onInterrupt(
            Effect.raceFirst(Effect.as(granted, true), Effect.as(Effect.sleep(deadlineAt - now), false)),
            () => leave
          )
        ),
        Effect.flatMap((admitted) => admitted ? Effect.void : Effect.zipRight(leave, Effect.fail(undefined)))
      )
    })

  const tryAcquire = () => {
    if (line.length > 0 || !room()) return false
    inFlight++
    return true
  }

  return {
    limit: () => limit,
    inFlight: () => inFlight,
    tryAcquire,
    acquire: (deadlineAt) => Effect.suspend(() => tryAcquire() ? Effect.void : wait(deadlineAt)),
    release
  }
}
