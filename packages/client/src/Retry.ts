/**
 * The client's retry policy, as an Effect `Schedule` over the error of the failed attempt. It retries only what the
 * catalog says is retryable (429, 502, 503, 504 and transport errors; 500 "with caution", at twice the budget cost),
 * waits `random(0, min(cap, base·2^n))` (full jitter; base 100 ms for transient errors, 1 s for throttling) after
 * the server's `Retry-After` if it gave one, gives up at once when that hint is above a ceiling, and stops at the attempt
 * limit, at the call's deadline, or when the client's shared `RetryBudget` is spent. Non-idempotent requests are only
 * retried when they carry an `Idempotency-Key`.
 *
 * `policy` is the whole of it; `fullJitter`, `retryClassOf` and `retryDelay` are the parts, for composing your own.
 *
 * @since 0.1.0
 */
import { CatalogError, UnknownApiError } from "@errata/domain"
import { Duration, Effect, Random, Schedule } from "effect"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleInterval from "effect/ScheduleInterval"
import type { RetryBudget } from "./RetryBudget.js"
import { TransportError } from "./TransportError.js"

/**
 * What a call of an Errata client can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientError = CatalogError.CatalogError | UnknownApiError.UnknownApiError | TransportError

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts?: number
  /** Backoff base for transient errors (5xx, transport). Default 100 ms. */
  readonly baseTransient?: Duration.DurationInput
  /** Backoff base for throttling (429). Default 1 second. */
  readonly baseThrottled?: Duration.DurationInput
  /** The longest backoff. Default 20 seconds. */
  readonly cap?: Duration.DurationInput
  /** A `Retry-After` above this is not waited out: the call fails at once. Default 60 seconds. */
  readonly retryAfterCeiling?: Duration.DurationInput
  /**
   * No retry is scheduled to start after this much time since the call began, and no call waits past it for the
   * circuit breaker, the pacing or the concurrency limit. Default 30 seconds.
   */
  readonly deadline?: Duration.DurationInput
  /** The budget shared by the calls of a client. Default: unlimited. */
  readonly budget?: RetryBudget
  /** Whether the request may be sent twice: idempotent method, or an `Idempotency-Key`. Default true. */
  readonly replayable?: boolean
  /** When the call began (`Clock` millis); the deadline counts from it. Default: the first failure. */
  readonly startedAt?: number
}

/**
 * The retry class of any error a call can fail with: a catalog error's own, an unknown error's by its status, and
 * `with_backoff` for a transport error.
 *
 * @since 0.1.0
 * @category retry classes
 */
export const retryClassOf = (error: ClientError): CatalogError.RetryClass => {
  if (error instanceof TransportError) return "with_backoff"
  if (error instanceof UnknownApiError.UnknownApiError) return CatalogError.retryClassOfStatus(error.status)
  return CatalogError.is(error) ? CatalogError.metadataOf(error).retry : "never"
}

/**
 * The HTTP status of an error, `undefined` for a transport error (there was no answer).
 *
 * @since 0.1.0
 * @category retry classes
 */
export const statusOf = (error: ClientError): number | undefined =>
  error instanceof TransportError
    ? undefined
    : error instanceof UnknownApiError.UnknownApiError
    ? error.status
    : CatalogError.metadataOf(error).status

/**
 * The exponential backoff bound before jitter: `min(cap, base·2^attempt)` (attempt 0 is the first retry).
 *
 * @since 0.1.0
 * @category backoff
 */
export const backoffBound = (base: Duration.DurationInput, cap: Duration.DurationInput, attempt: number): number =>
  Math.min(Duration.toMillis(cap), Duration.toMillis(base) * 2 ** attempt)

/**
 * Exponential backoff with full jitter, `random(0, min(cap, base·2^n))`, as a schedule that recurs forever.
 *
 * @since 0.1.0
 * @category backoff
 */
export const fullJitter = (options: { readonly base: Duration.DurationInput; readonly cap: Duration.DurationInput }) =>
  Schedule.makeWithState<number, unknown, Duration.Duration>(0, (now, _input, attempt) =>
    Effect.map(Random.next, (random) => {
      const delay = Duration.millis(random * backoffBound(options.base, options.cap, attempt))
      return [attempt + 1, delay, ScheduleDecision.continueWith(ScheduleInterval.after(now + Duration.toMillis(delay)))]
    }))

/**
 * How long to wait before the next attempt, or `undefined` to stop: the policy's decision, without the budget.
 *
 * @since 0.1.0
 * @category policy
 */
export const retryDelay = (
  error: ClientError,
  attempt: number,
  random: number,
  options: Options = {}
): number | undefined => {
  const retry = retryClassOf(error)
  if (retry !== "with_backoff" && retry !== "with_caution") return undefined
  if (attempt + 1 >= (options.maxAttempts ?? 4)) return undefined
  if (options.replayable === false) return undefined
  const retryAfter = error instanceof TransportError ? undefined : error.retryAfter
  const hint = retryAfter === undefined ? 0 : retryAfter * 1000
  if (hint > Duration.toMillis(options.retryAfterCeiling ?? "60 seconds")) return undefined
  const base = statusOf(error) === 429 ? options.baseThrottled ?? "1 second" : options.baseTransient ?? "100 millis"
  // Jitter on top of the server's time, not under it: clients told "1 second" must not all return at once.
  return hint + random * backoffBound(base, options.cap ?? "20 seconds", attempt)
}

/**
 * The budget cost of a retry: after a 500 ("retry with caution") it costs twice what it costs after a transient
 * failure.
 *
 * @since 0.1.0
 * @category policy
 */
export const budgetCost = (error: ClientError): number => retryClassOf(error) === "with_caution" ? 2 : 1

/**
 * The whole retry policy. Its output is the delay before the next attempt.
 *
 * @since 0.1.0
 * @category policy
 */
export const policy = (options: Options = {}): Schedule.Schedule<Duration.Duration, ClientError> =>
  Schedule.makeWithState<{ readonly attempt: number; readonly startedAt: number | undefined }, ClientError, Duration.Duration>(
    { attempt: 0, startedAt: options.startedAt },
    (now, error, state) =>
      Effect.map(Random.next, (random) => {
        const startedAt = state.startedAt ?? now
        const next = { attempt: state.attempt + 1, startedAt }
        const delay = retryDelay(error, state.attempt, random, options)
        const deadline = Duration.toMillis(options.deadline ?? "30 seconds")
        if (
          delay === undefined || now + delay - startedAt > deadline ||
          (options.budget !== undefined && !options.budget.acquire(budgetCost(error)))
        ) {
          return [next, Duration.zero, ScheduleDecision.done] as const
        }
        return [next, Duration.millis(delay), ScheduleDecision.continueWith(ScheduleInterval.after(now + delay))] as const
      })
  )
