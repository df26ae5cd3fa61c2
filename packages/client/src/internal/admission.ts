/**
 * What stands between a call and the network, for each attempt: the circuit breaker, the pacing by the server's
 * rate-limit headers and the adaptive concurrency limit, in that order, each waited for up to the call's deadline;
 * then the attempt, whose outcome each of them records.
 */
import { Cause, Effect, Random } from "effect"
import * as AdaptiveConcurrency from "../AdaptiveConcurrency.js"
import * as CircuitBreaker from "../CircuitBreaker.js"
import type * as RateLimitPacing from "../RateLimitPacing.js"
import type { ClientError } from "../Retry.js"
import { TransportError } from "../TransportError.js"

export interface Admission {
  /**
   * Runs `attempt` once it may be sent, before `deadlineAt` (`Clock` milliseconds); when that cannot be, calls
   * `heldBack` and fails with the error that held it back (the circuit's last outage, the last overload answer) or
   * `notSent()`.
   */
  readonly run: <A>(
    deadlineAt: number,
    attempt: Effect.Effect<A, ClientError>,
    notSent: () => ClientError,
    heldBack: () => void
  ) => Effect.Effect<A, ClientError>
  readonly pacing: RateLimitPacing.Pacing | undefined
}

export const make = (options: {
  readonly circuit: CircuitBreaker.CircuitBreaker | undefined
  readonly concurrency: AdaptiveConcurrency.AdaptiveConcurrency | undefined
  readonly pacing: RateLimitPacing.Pacing | undefined
  /** A `Retry-After` above this (milliseconds) is not honoured: the call fails rather than waits. */
  readonly retryAfterCeiling: number
}): Admission => {
  const { circuit, concurrency, pacing, retryAfterCeiling } = options
  /** The last outage or overload answer: what a call held back until its deadline fails with. */
  let lastRefusal: ClientError | undefined

  const retryAfterMillis = (error: ClientError): number => {
    if (error instanceof TransportError || error.retryAfter === undefined) return 0
    const millis = error.retryAfter * 1000
    return millis > retryAfterCeiling ? 0 : millis
  }

  const settled = <A>(
    attempt: Effect.Effect<A, ClientError>,
    admission: CircuitBreaker.Admission,
    placed: boolean
  ): Effect.Effect<A, ClientError> =>
    Effect.matchCauseEffect(attempt, {
      onSuccess: (value) => {
        circuit?.record(admission, answered, 0, 0)
        if (placed) concurrency!.release("answered")
        return Effect.succeed(value)
      },
      onFailure: (cause) => {
        const failure = Cause.failureOption(cause)
        if (failure._tag === "None") {
          circuit?.record(admission, abandoned, 0, 0)
          if (placed) concurrency!.release("unanswered")
          return Effect.failCause(cause)
        }
        const error = failure.value
        const overload = AdaptiveConcurrency.isOverload(error)
        const outage = CircuitBreaker.isOutage(error)
        if (overload || outage) lastRefusal = error
        if (placed) concurrency!.release(overload ? "overload" : error instanceof TransportError ? "unanswered" : "answered")
        if (circuit === undefined) return Effect.failCause(cause)
        if (!outage) {
          circuit.record(admission, error instanceof TransportError ? abandoned : answered, 0, 0)
          return Effect.failCause(cause)
        }
        return Effect.zipRight(
          Effect.zipWith(Effect.clockWith((clock) => clock.currentTimeMillis), Random.next, (now, random) =>
            circuit.record(admission, { _tag: "Outage", error, retryAfterMillis: retryAfterMillis(error) }, now, random)),
          Effect.failCause(cause)
        )
      }
    })

  const refused = (notSent: () => ClientError, heldBack: () => void) =>
    Effect.suspend(() => {
      heldBack()
      return Effect.fail(lastRefusal ?? notSent())
    })

  /** The slow way: something is in force; each stage waits, interruptibly, up to the deadline. */
  const wait = <A>(
    deadlineAt: number,
    attempt: Effect.Effect<A, ClientError>,
    notSent: () => ClientError,
    heldBack: () => void,
    restore: <X, E, R>(effect: Effect.Effect<X, E, R>) => Effect.Effect<X, E, R>
  ): Effect.Effect<A, ClientError> => {
    const admitted: Effect.Effect<CircuitBreaker.Admission, ClientError> = circuit === undefined
      ? Effect.succeed("pass")
      : Effect.catchAll(restore(circuit.admit(deadlineAt)), (last) =>
        Effect.suspend(() => {
          heldBack()
          return Effect.fail(last ?? lastRefusal ?? notSent())
        }))
    return Effect.flatMap(admitted, (admission) => {
      const paced: Effect.Effect<void, ClientError> = pacing === undefined || pacing.idle()
        ? Effect.void
        : Effect.flatMap(Effect.clockWith((clock) => clock.currentTimeMillis), (now) => {
          const delay = pacing.reserve(now, deadlineAt)
          return delay === undefined ? refused(notSent, heldBack) : delay > 0 ? restore(Effect.sleep(delay)) : Effect.void
        })
      const placed: Effect.Effect<boolean, ClientError> = concurrency === undefined
        ? Effect.succeed(false)
        : Effect.as(Effect.catchAll(restore(concurrency.acquire(deadlineAt)), () => refused(notSent, heldBack)), true)
      const ready = Effect.zipRight(paced, placed)
      return Effect.flatMap(
        admission === "probe"
          ? Effect.onExit(ready, (exit) => exit._tag === "Failure" ? Effect.sync(() => circuit!.record("probe", abandoned, 0, 0)) : Effect.void)
          : ready,
        (place) => settled(restore(attempt), admission, place)
      )
    })
  }

  return {
    pacing,
    run: (deadlineAt, attempt, notSent, heldBack) =>
      Effect.uninterruptibleMask((restore) => {
        if (
          (circuit === undefined || circuit.state() === "closed") &&
          (pacing === undefined || pacing.idle())
        ) {
          if (concurrency === undefined) return settled(restore(attempt), "pass", false)
          if (concurrency.tryAcquire()) return settled(restore(attempt), "pass", true)
        }
        return wait(deadlineAt, attempt, notSent, heldBack, restore)
      })
  }
}

const answered: CircuitBreaker.Outcome = { _tag: "Answered" }
const abandoned: CircuitBreaker.Outcome = { _tag: "Abandoned" }
