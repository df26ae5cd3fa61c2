import { assert, describe, it } from "@effect/vitest"
import { UnknownApiError } from "@errata/domain"
import {
  BadGateway,
  Conflict,
  InternalError,
  NotFound,
  RateLimitExceeded,
  ServiceUnavailable,
  ValidationError
} from "@errata/domain/Errors"
import { Retry, RetryBudget, TransportError } from "@errata/client"
import { Effect, Fiber, Random, Ref, TestClock } from "effect"

const reset = new TransportError.TransportError({ reason: "connection_reset", message: "reset", method: "GET", url: "/" })

describe("Retry.retryDelay", () => {
  it("waits random(0, min(cap, base·2^n)): 100 ms base for transient errors, 1 s for throttling", () => {
    assert.strictEqual(Retry.retryDelay(new ServiceUnavailable(), 0, 0.5), 50)
    assert.strictEqual(Retry.retryDelay(new ServiceUnavailable(), 2, 0.5), 200)
    assert.strictEqual(Retry.retryDelay(new RateLimitExceeded(), 0, 0.5), 500)
    assert.strictEqual(Retry.retryDelay(new RateLimitExceeded(), 2, 1), 4000)
    assert.strictEqual(Retry.retryDelay(reset, 1, 1), 200)
    assert.strictEqual(Retry.retryDelay(new UnknownApiError.UnknownApiError({ status: 502, message: "<html>" }), 0, 1), 100)
  })

  it("caps the bound at 20 s", () => {
    assert.strictEqual(Retry.retryDelay(new RateLimitExceeded(), 2, 1, { maxAttempts: 10, cap: "3 seconds" }), 3000)
    assert.strictEqual(Retry.backoffBound("1 second", "20 seconds", 10), 20_000)
  })

  it("waits Retry-After plus the jitter, and gives up when the hint is above the ceiling", () => {
    assert.strictEqual(Retry.retryDelay(new RateLimitExceeded({ retryAfter: 3 }), 0, 0.5), 3500)
    assert.strictEqual(Retry.retryDelay(new ServiceUnavailable({ retryAfter: 60 }), 0, 0.5), 60_050)
    assert.isUndefined(Retry.retryDelay(new ServiceUnavailable({ retryAfter: 61 }), 0, 0.5))
    assert.isUndefined(Retry.retryDelay(new RateLimitExceeded({ retryAfter: 86400 }), 0, 0.5))
    assert.strictEqual(Retry.retryDelay(new ServiceUnavailable({ retryAfter: 0 }), 0, 0.5), 50)
  })

  it("retries only 429, 502, 503, 504, transport errors and 500; never 4xx", () => {
    for (const error of [new NotFound(), new Conflict(), new ValidationError(), new UnknownApiError.UnknownApiError({ status: 400, message: "" })]) {
      assert.isUndefined(Retry.retryDelay(error, 0, 0.5), error._tag)
    }
    for (const error of [new BadGateway(), new InternalError(), reset, new UnknownApiError.UnknownApiError({ status: 504, message: "" })]) {
      assert.isNumber(Retry.retryDelay(error, 0, 0.5), error._tag)
    }
    assert.strictEqual(Retry.budgetCost(new InternalError()), 2)
    assert.strictEqual(Retry.budgetCost(new ServiceUnavailable()), 1)
  })

  it("stops at the attempt limit, and for requests that may not be sent twice", () => {
    assert.isNumber(Retry.retryDelay(new ServiceUnavailable(), 2, 0.5))
    assert.isUndefined(Retry.retryDelay(new ServiceUnavailable(), 3, 0.5))
    assert.isUndefined(Retry.retryDelay(reset, 0, 0.5, { replayable: false }))
  })
})

/** An effect that fails with the given errors in turn, then succeeds; it counts its attempts. */
const failing = (errors: ReadonlyArray<Retry.ClientError>) =>
  Effect.map(Ref.make(0), (attempts) => ({
    attempts,
    effect: Effect.flatMap(Ref.getAndUpdate(attempts, (n) => n + 1), (n) =>
      n < errors.length ? Effect.fail(errors[n]!) : Effect.succeed("done"))
  }))

describe("Retry.policy under the TestClock", () => {
  it.effect("waits exactly the jittered delays", () =>
    Effect.gen(function*() {
      const { attempts, effect } = yield* failing([new ServiceUnavailable(), new ServiceUnavailable(), new ServiceUnavailable()])
      const fiber = yield* Effect.fork(Effect.retry(effect, Retry.policy()).pipe(Effect.withRandom(Random.fixed([0.5]))))
      yield* TestClock.adjust("49 millis")
      assert.strictEqual(yield* Ref.get(attempts), 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Ref.get(attempts), 2)
      yield* TestClock.adjust("99 millis")
      assert.strictEqual(yield* Ref.get(attempts), 2)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Ref.get(attempts), 3)
      yield* TestClock.adjust("200 millis")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
      assert.strictEqual(yield* Ref.get(attempts), 4)
    }))

  it.effect("never retries before Retry-After: the jitter comes on top of it", () =>
    Effect.gen(function*() {
      const { attempts, effect } = yield* failing([new RateLimitExceeded({ retryAfter: 2 })])
      const fiber = yield* Effect.fork(Effect.retry(effect, Retry.policy()).pipe(Effect.withRandom(Random.fixed([0.1]))))
      yield* TestClock.adjust("2099 millis")
      assert.strictEqual(yield* Ref.get(attempts), 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
    }))

  it.effect("stops at the deadline", () =>
    Effect.gen(function*() {
      const errors = Array.from({ length: 10 }, () => new ServiceUnavailable())
      const { attempts, effect } = yield* failing(errors)
      const policy = Retry.policy({ maxAttempts: 10, deadline: "250 millis", startedAt: 0 })
      const fiber = yield* Effect.fork(Effect.either(Effect.retry(effect, policy)).pipe(Effect.withRandom(Random.fixed([1]))))
      yield* TestClock.adjust("10 seconds")
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result._tag, "Left")
      // The first retry starts at 100 ms; the second would start at 300 ms, past the deadline.
      assert.strictEqual(yield* Ref.get(attempts), 2)
    }))

  it.effect("stops when the shared budget is spent", () =>
    Effect.gen(function*() {
      const budget = RetryBudget.make({ initialTokens: 2 })
      const errors = Array.from({ length: 10 }, () => new ServiceUnavailable())
      const { attempts, effect } = yield* failing(errors)
      const fiber = yield* Effect.fork(Effect.either(Effect.retry(effect, Retry.policy({ budget, maxAttempts: 10 }))))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      // 2 tokens, a retry after a 503 costs 1: two retries, then the budget refuses.
      assert.strictEqual(yield* Ref.get(attempts), 3)
      assert.strictEqual(budget.tokens(), 0)
    }))

  it.effect("composes with other schedules: fullJitter is a Schedule", () =>
    Effect.gen(function*() {
      const { attempts, effect } = yield* failing([new ServiceUnavailable(), new ServiceUnavailable()])
      const fiber = yield* Effect.fork(
        Effect.retry(effect, Retry.fullJitter({ base: "100 millis", cap: "1 second" })).pipe(
          Effect.withRandom(Random.fixed([1]))
        )
      )
      yield* TestClock.adjust("100 millis")
      assert.strictEqual(yield* Ref.get(attempts), 2)
      yield* TestClock.adjust("200 millis")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
    }))
})

describe("RetryBudget", () => {
  it("pays for retries that succeed, and stops those that keep failing", () => {
    const budget = RetryBudget.make({ initialTokens: 5 })
    // Occasional failures whose retry succeeds: the cost comes back every time.
    for (let i = 0; i < 1000; i++) {
      budget.recordCall()
      assert.isTrue(budget.acquire(1))
      budget.refund(1)
    }
    // An outage: retries fail, nothing comes back; after the tokens, one retry per 25 calls.
    const outage = RetryBudget.make({ initialTokens: 5 })
    let retries = 0
    for (let i = 0; i < 1000; i++) {
      outage.recordCall()
      if (outage.acquire(1)) retries++
    }
    assert.strictEqual(retries, 5 + 40)
  })
})
