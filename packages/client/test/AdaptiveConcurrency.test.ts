import { assert, describe, it } from "@effect/vitest"
import { UnknownApiError } from "@errata/domain"
import { BadGateway, RateLimitExceeded, ServiceUnavailable } from "@errata/domain/Errors"
import { AdaptiveConcurrency } from "@errata/client"
import { Effect, Exit, Fiber, TestClock } from "effect"

describe("AdaptiveConcurrency", () => {
  it("has no limit until an overload answer, then starts from what was in flight", () => {
    const limiter = AdaptiveConcurrency.make()
    for (let i = 0; i < 40; i++) assert.isTrue(limiter.tryAcquire())
    assert.strictEqual(limiter.limit(), Infinity)
    limiter.release("overload")
    assert.strictEqual(limiter.limit(), 36)
    assert.strictEqual(limiter.inFlight(), 39)
    assert.isFalse(limiter.tryAcquire())
  })

  it("decreases multiplicatively on 429 and 503, and increases by 1/limit on other answers", () => {
    assert.isTrue(AdaptiveConcurrency.isOverload(new RateLimitExceeded()))
    assert.isTrue(AdaptiveConcurrency.isOverload(new ServiceUnavailable()))
    assert.isTrue(AdaptiveConcurrency.isOverload(new UnknownApiError.UnknownApiError({ status: 429, message: "" })))
    assert.isFalse(AdaptiveConcurrency.isOverload(new BadGateway()))

    const limiter = AdaptiveConcurrency.make({ decrease: 0.5 })
    for (let i = 0; i < 8; i++) limiter.tryAcquire()
    limiter.release("overload")
    limiter.release("overload")
    assert.strictEqual(limiter.limit(), 2)
    // 6 in flight, at least half the limit in use: an answer adds 1/limit.
    limiter.release("answered")
    assert.strictEqual(limiter.limit(), 2.5)
    // Without an answer (a reset connection), the limit stays.
    limiter.release("unanswered")
    assert.strictEqual(limiter.limit(), 2.5)
  })

  it("never goes below the least limit", () => {
    const limiter = AdaptiveConcurrency.make({ minLimit: 3 })
    for (let i = 0; i < 4; i++) limiter.tryAcquire()
    for (let i = 0; i < 4; i++) limiter.release("overload")
    assert.strictEqual(limiter.limit(), 3)
  })

  it.effect("queues attempts above the limit, first come first served, and fails one at its deadline", () =>
    Effect.gen(function*() {
      const limiter = AdaptiveConcurrency.make({ decrease: 0.5 })
      limiter.tryAcquire()
      limiter.tryAcquire()
      limiter.release("overload")
      assert.strictEqual(limiter.limit(), 1)
      const first = yield* Effect.fork(limiter.acquire(10_000))
      const second = yield* Effect.fork(limiter.acquire(10_000))
      const late = yield* Effect.fork(Effect.exit(limiter.acquire(500)))
      yield* TestClock.adjust("1 millis")
      assert.isTrue((yield* Fiber.poll(first))._tag === "None")
      // A place given back without an answer: the limit stays 1, one waiting attempt goes.
      limiter.release("unanswered")
      yield* Fiber.join(first)
      assert.isTrue((yield* Fiber.poll(second))._tag === "None")
      yield* TestClock.adjust("500 millis")
      assert.isTrue(Exit.isFailure(yield* Fiber.join(late)))
      // The call that gave up left its place in the line: the next place goes to `second`.
      limiter.release("unanswered")
      yield* Fiber.join(second)
      assert.strictEqual(limiter.inFlight(), 1)
    }))
})
