/**
 * A circuit breaker shared by the calls of a client, for outages: after `failureThreshold` consecutive attempts that
 * met an outage (502, 503, 504, a refused connection, an attempt timeout) the circuit opens, and calls stop sending.
 * They are not failed: each waits, up to its own deadline, for the circuit to close. After a cool-down the circuit is
 * half-open: one waiting call is let through as a probe. Its answer closes the circuit and releases every waiting
 * call; another outage opens it again, for twice as long (up to `maxCooldown`). A call whose deadline comes while it
 * waits fails with the last outage error the client met. A cool-down is never shorter than the `Retry-After` of the
 * answer that started it, so a probe does not go before the server's time.
 *
 * A reset connection or another transport error is not an outage here: it tells of one connection, not of the
 * server; any HTTP answer but 502, 503 and 504 — a 4xx, a 500, a 429 — shows the server is there, and closes the
 * circuit.
 *
 * @since 0.1.0
 */
import { Deferred, Duration, Effect, FiberId } from "effect"
import type { ClientError } from "./Retry.js"
import { statusOf } from "./Retry.js"
import { TransportError } from "./TransportError.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Consecutive outage failures that open the circuit. Default 5. */
  readonly failureThreshold?: number
  /** How long the circuit stays open before the first probe. Default 250 ms; doubled after each failed probe. */
  readonly cooldown?: Duration.DurationInput
  /** The longest cool-down. Default 1 second. */
  readonly maxCooldown?: Duration.DurationInput
}

/**
 * `closed`: calls go through. `open`: calls wait for the cool-down. `half_open`: one probe is out, calls wait for it.
 *
 * @since 0.1.0
 * @category models
 */
export type State = "closed" | "open" | "half_open"

/**
 * How an attempt went through the circuit: as one of many while it is closed, or as the one probe.
 *
 * @since 0.1.0
 * @category models
 */
export type Admission = "pass" | "probe"

/**
 * What an admitted attempt met: an answer, an outage (with the wait the server asked for, in milliseconds, if it is
 * to be honoured), or nothing, when it was abandoned before an answer (interrupted).
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | { readonly _tag: "Answered" }
  | { readonly _tag: "Outage"; readonly error: ClientError; readonly retryAfterMillis: number }
  | { readonly _tag: "Abandoned" }

/**
 * @since 0.1.0
 * @category models
 */
export interface CircuitBreaker {
  readonly state: () => State
  /** The outage error calls fail with when their deadline comes while they wait. */
  readonly lastError: () => ClientError | undefined
  /**
   * Waits until an attempt may be sent: at once while the circuit is closed; else until it closes, or until this
   * attempt is the probe. Fails with the last outage error when `deadlineAt` (`Clock` milliseconds) comes first.
   */
  readonly admit: (deadlineAt: number) => Effect.Effect<Admission, ClientError | undefined>
  /** Records what an admitted attempt met, at `now` (`Clock` milliseconds); `random` in [0, 1) jitters a cool-down. */
  readonly record: (admission: Admission, outcome: Outcome, now: number, random: number) => void
}

/**
 * Whether an error tells of an outage: 502, 503, 504, a refused connection or an attempt that timed out.
 *
 * @since 0.1.0
 * @category classification
 */
export const isOutage = (error: ClientError): boolean => {
  if (error instanceof TransportError) return error.reason === "connection_refused" || error.reason === "timeout"
  const status = statusOf(error)
  return status === 502 || status === 503 || status === 504
}

const pass: Effect.Effect<Admission> = Effect.succeed("pass")

/**
 * A new circuit breaker, closed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): CircuitBreaker => {
  const threshold = Math.max(1, options.failureThreshold ?? 5)
  const baseCooldown = Duration.toMillis(options.cooldown ?? "250 millis")
  const maxCooldown = Duration.toMillis(options.maxCooldown ?? "1 second")

  let state: State = "closed"
  let failures = 0
  /** Failed probes since the circuit opened: each doubles the cool-down. */
  let reopenings = 0
  let probeAt = 0
  let lastError: ClientError | undefined
  /** Done, and replaced, at every change of state: the waiting calls look again. */
  let changed = Deferred.unsafeMake<void>(FiberId.none)

  const signal = () => {
    const done = changed
    changed = Deferred.unsafeMake<void>(FiberId.none)
    Deferred.unsafeDone(done, Effect.void)
  }

  const open = (now: number, retryAfterMillis: number, random: number) => {
    const cooldown = Math.min(maxCooldown, baseCooldown * 2 ** reopenings)
    // Equal jitter: clients that saw the same outage do not all probe at the same moment.
    probeAt = now + Math.max(retryAfterMillis, cooldown / 2 + (random * cooldown) / 2)
    state = "open"
    signal()
  }

  const close = () => {
    failures = 0
    reopenings = 0
    if (state !== "closed") {
      state = "closed"
      signal()
    }
  }

  const wait = (deadlineAt: number): Effect.Effect<Admission, ClientError | undefined> =>
    Effect.flatMap(Effect.clockWith((clock) => clock.currentTimeMillis), (now) => {
      if (state === "closed") return pass
      if (state === "open" && now >= probeAt) {
        state = "half_open"
        return Effect.succeed<Admission>("probe")
      }
      if (now >= deadlineAt) return Effect.fail(lastError)
      const until = state === "open" ? Math.min(probeAt, deadlineAt) : deadlineAt
      return Effect.zipRight(
        Effect.raceFirst(Deferred.await(changed), Effect.sleep(until - now)),
        Effect.suspend(() => wait(deadlineAt))
      )
    })

  return {
    state: () => state,
    lastError: () => lastError,
    admit: (deadlineAt) => Effect.suspend(() => state === "closed" ? pass : wait(deadlineAt)),
    record: (admission, outcome, now, random) => {
      switch (outcome._tag) {
        case "Answered":
          return close()
        case "Abandoned":
          // The probe's place goes to the next waiting call, at once.
          if (admission === "probe" && state === "half_open") {
            state = "open"
            probeAt = now
            signal()
          }
          return
        case "Outage": {
          lastError = outcome.error
          if (admission === "probe" && state === "half_open") {
            reopenings++
            return open(now, outcome.retryAfterMillis, random)
          }
          if (state === "closed") {
            if (++failures >= threshold) open(now, outcome.retryAfterMillis, random)
          } else if (state === "open") {
            // An attempt sent before the circuit opened: its Retry-After holds the probe back too.
            probeAt = Math.max(probeAt, now + outcome.retryAfterMillis)
          }
          return
        }
      }
    }
  }
}
