import { assert, describe, it } from "@effect/vitest"
import { UnknownApiError } from "@errata/domain"
import { BadGateway, InternalError, RateLimitExceeded, ServiceUnavailable } from "@errata/domain/Errors"
import { CircuitBreaker, TransportError } from "@errata/client"
import { Effect, Exit, Fiber, TestClock } from "effect"

const outage = (error = new ServiceUnavailable(), retryAfterMillis = 0): CircuitBreaker.Outcome => ({
  _tag: "Outage",
  error,
  retryAfterMillis
})
const answered: CircuitBreaker.Outcome = { _tag: "Answered" }
/** With `random` 1 the cool-down is exactly `cooldown` (equal jitter: half of it, plus up to the other half). */
const openAt = (circuit: CircuitBreaker.CircuitBreaker, now: number, error = new ServiceUnavailable()) => {
  while (circuit.state() === "closed") circuit.record("pass", outage(error), now, 1)
}

describe("CircuitBreaker", () => {
  it("opens after consecutive outage failures; an answer in between starts the count again", () => {
    const circuit = CircuitBreaker.make({ failureThreshold: 3 })
    circuit.record("pass", outage(), 0, 1)
    circuit.record("pass", outage(), 0, 1)
    circuit.record("pass", answered, 0, 1)
    circuit.record("pass", outage(), 0, 1)
    circuit.record("pass", outage(), 0, 1)
    assert.strictEqual(circuit.state(), "closed")
    circuit.record("pass", outage(), 0, 1)
    assert.strictEqual(circuit.state(), "open")
  })

  it("counts 502, 503, 504, refused connections and timeouts as outages; not 500, 429 or a reset", () => {
    const transport = (reason: TransportError.TransportError["reason"]) =>
      new TransportError.TransportError({ reason, message: "", method: "GET", url: "/" })
    for (const error of [new BadGateway(), new ServiceUnavailable(), transport("connection_refused"), transport("timeout")]) {
      assert.isTrue(CircuitBreaker.isOutage(error), error._tag)
    }
    assert.isTrue(CircuitBreaker.isOutage(new UnknownApiError.UnknownApiError({ status: 504, message: "" })))
    for (const error of [new InternalError(), new RateLimitExceeded(), transport("connection_reset"), transport("other")]) {
      assert.isFalse(CircuitBreaker.isOutage(error), error._tag)
    }
  })

  it.effect("lets one probe through after the cool-down, and releases every waiting call when it is answered", () =>
    Effect.gen(function*() {
      const circuit = CircuitBreaker.make({ failureThreshold: 2, cooldown: "100 millis" })
      openAt(circuit, 0)
      const waiting = yield* Effect.forEach([1, 2, 3], () => Effect.fork(circuit.admit(10_000)))
      yield* TestClock.adjust("99 millis")
      for (const fiber of waiting) assert.isTrue((yield* Fiber.poll(fiber))._tag === "None")
      yield* TestClock.adjust("1 millis")
      const admitted = yield* Effect.forEach(waiting, Fiber.poll)
      // One probe, the others still waiting: the circuit is half-open.
      assert.deepStrictEqual(admitted.filter((exit) => exit._tag === "Some").length, 1)
      assert.strictEqual(circuit.state(), "half_open")
      const probe = waiting[admitted.findIndex((exit) => exit._tag === "Some")]!
      assert.strictEqual(yield* Fiber.join(probe), "probe")
      circuit.record("probe", answered, 100, 1)
      assert.strictEqual(circuit.state(), "closed")
      for (const fiber of waiting.filter((fiber) => fiber !== probe)) assert.strictEqual(yield* Fiber.join(fiber), "pass")
    }))

  it.effect("opens again for twice as long when the probe meets the outage", () =>
    Effect.gen(function*() {
      const circuit = CircuitBreaker.make({ failureThreshold: 1, cooldown: "100 millis" })
      openAt(circuit, 0)
      yield* TestClock.adjust("100 millis")
      assert.strictEqual(yield* circuit.admit(10_000), "probe")
      circuit.record("probe", outage(), 100, 1)
      assert.strictEqual(circuit.state(), "open")
      const next = yield* Effect.fork(circuit.admit(10_000))
      yield* TestClock.adjust("199 millis")
      assert.isTrue((yield* Fiber.poll(next))._tag === "None")
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(next), "probe")
    }))

  it.effect("never probes before the Retry-After of the answer that opened it", () =>
    Effect.gen(function*() {
      const circuit = CircuitBreaker.make({ failureThreshold: 1, cooldown: "100 millis" })
      circuit.record("pass", outage(new ServiceUnavailable({ retryAfter: 2 }), 2000), 0, 1)
      const next = yield* Effect.fork(circuit.admit(10_000))
      yield* TestClock.adjust("1999 millis")
      assert.isTrue((yield* Fiber.poll(next))._tag === "None")
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(next), "probe")
    }))

  it.effect("fails a waiting call at its deadline with the last outage error", () =>
    Effect.gen(function*() {
      const circuit = CircuitBreaker.make({ failureThreshold: 1, cooldown: "1 second" })
      const last = new ServiceUnavailable({ requestId: "req_last" })
      openAt(circuit, 0, last)
      const waiting = yield* Effect.fork(Effect.exit(circuit.admit(300)))
      yield* TestClock.adjust("300 millis")
      const exit = yield* Fiber.join(waiting)
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(yield* Effect.flip(exit), last)
      assert.strictEqual(circuit.state(), "open")
    }))

  it.effect("gives the probe's place to the next call when the probe is abandoned", () =>
    Effect.gen(function*() {
      const circuit = CircuitBreaker.make({ failureThreshold: 1, cooldown: "100 millis" })
      openAt(circuit, 0)
      yield* TestClock.adjust("100 millis")
      assert.strictEqual(yield* circuit.admit(10_000), "probe")
      const next = yield* Effect.fork(circuit.admit(10_000))
      yield* TestClock.adjust("10 millis")
      assert.isTrue((yield* Fiber.poll(next))._tag === "None")
      circuit.record("probe", { _tag: "Abandoned" }, 110, 1)
      assert.strictEqual(yield* Fiber.join(next), "probe")
    }))
})
