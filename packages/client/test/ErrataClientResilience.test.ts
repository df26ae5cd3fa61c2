/**
 * The client's circuit breaker, adaptive concurrency and pacing, through its calls, under the TestClock: the
 * `HttpClient` is an in-memory server that answers at once, so that only the clock decides when attempts go.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { ErrataClient } from "@errata/client"
import { Effect, Fiber, Layer, Logger, LogLevel, Random, TestClock } from "effect"
import { UserId, UsersApi } from "./fixtures/UsersApi.js"

const user = JSON.stringify({ id: "usr_1", email: "ann@example.com", name: "Ann" })

/** An in-memory server: `answer` gives the status and headers of each request, in order; it counts them. */
const inMemory = (answer: (index: number) => { status: number; headers?: Record<string, string> }) => {
  const received: Array<number> = []
  const layer = Layer.merge(
    Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) =>
        Effect.sync(() => {
          const { headers = {}, status } = answer(received.length)
          received.push(status)
          const body = status < 400
            ? user
            : JSON.stringify({ error: "service_unavailable", error_description: "Service temporarily unavailable" })
          return HttpClientResponse.fromWeb(
            request,
            new Response(body, { status, headers: { "content-type": "application/json", ...headers } })
          )
        })
      )
    ),
    Logger.minimumLogLevel(LogLevel.None)
  )
  return { received, layer }
}

const id = UserId.make("usr_1")
const fast = { baseTransient: "10 millis", baseThrottled: "10 millis", deadline: "10 seconds" } as const

describe("ErrataClient through an outage", () => {
  it.effect("waits for the circuit instead of failing, sends nothing more, and succeeds when a probe finds the server", () => {
    let up = false
    const server = inMemory(() => ({ status: up ? 200 : 503 }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, {
        baseUrl: "http://api.test",
        retry: fast,
        circuit: { failureThreshold: 3, cooldown: "1 second", maxCooldown: "1 second" },
        concurrency: false
      })
      const calls = yield* Effect.forEach([1, 2, 3, 4, 5], () => Effect.fork(client.users.get({ path: { id } })))
      yield* TestClock.adjust("900 millis")
      // Five first attempts met the outage; their retries wait for the circuit.
      assert.strictEqual(server.received.length, 5)
      for (const call of calls) assert.isTrue((yield* Fiber.poll(call))._tag === "None")
      yield* TestClock.adjust("100 millis")
      // One probe, and the outage still there: the circuit opens again, for longer; nothing else is sent.
      assert.strictEqual(server.received.length, 6)
      up = true
      yield* TestClock.adjust("1 second")
      for (const call of calls) assert.strictEqual((yield* Fiber.join(call)).id, "usr_1")
      // The probe that found the server, then the four calls it released: one request each.
      assert.deepStrictEqual(server.received, [503, 503, 503, 503, 503, 503, 200, 200, 200, 200, 200])
    }).pipe(Effect.withRandom(Random.fixed([1])), Effect.provide(server.layer))
  })

  it.effect("fails a call that waited to its deadline with the last outage error, typed", () => {
    const server = inMemory(() => ({ status: 503 }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, {
        baseUrl: "http://api.test",
        retry: { ...fast, deadline: "3 seconds" },
        circuit: { failureThreshold: 1, cooldown: "10 seconds", maxCooldown: "10 seconds" }
      })
      const call = yield* Effect.fork(Effect.flip(client.users.get({ path: { id } })))
      yield* TestClock.adjust("3 seconds")
      const error = yield* Fiber.join(call)
      assert.strictEqual(error._tag, "UnknownApiError")
      assert.strictEqual((error as { status?: number }).status, 503)
      assert.strictEqual(server.received.length, 1)
    }).pipe(Effect.withRandom(Random.fixed([1])), Effect.provide(server.layer))
  })
})

describe("ErrataClient under overload", () => {
  it.effect("lowers its concurrency on 503 and holds the calls above it in line", () => {
    let inFlight = 0
    const server = inMemory(() => ({ status: inFlight >= 2 ? 503 : 200 }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, {
        baseUrl: "http://api.test",
        retry: fast,
        circuit: false,
        concurrency: { decrease: 0.5 }
      })
      // Calls that take 100 ms each: the in-memory server refuses a third at a time.
      const slow = client.users.get({ path: { id } }).pipe(
        Effect.tap(() => Effect.sync(() => inFlight++)),
        Effect.zipLeft(Effect.sleep("100 millis")),
        Effect.ensuring(Effect.sync(() => inFlight = Math.max(0, inFlight - 1)))
      )
      const calls = yield* Effect.forEach([1, 2, 3, 4], () => Effect.fork(slow))
      yield* TestClock.adjust("10 seconds")
      for (const call of calls) assert.strictEqual((yield* Fiber.join(call)).id, "usr_1")
    }).pipe(Effect.withRandom(Random.fixed([1])), Effect.provide(server.layer))
  })
})

describe("ErrataClient pacing", () => {
  it.effect("holds the next call until the reset when RateLimit says nothing remains", () => {
    const server = inMemory(() => ({ status: 200, headers: { "ratelimit": `"default";r=0;t=3`, "ratelimit-policy": `"default";q=5;w=60` } }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, { baseUrl: "http://api.test" })
      yield* client.users.get({ path: { id } })
      const next = yield* Effect.fork(client.users.get({ path: { id } }))
      yield* TestClock.adjust("2999 millis")
      assert.strictEqual(server.received.length, 1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(next)
      assert.strictEqual(server.received.length, 2)
    }).pipe(Effect.provide(server.layer))
  })

  it.effect("spreads what remains over the time to the reset", () => {
    const server = inMemory(() => ({ status: 200, headers: { "ratelimit": `"default";r=2;t=1` } }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, { baseUrl: "http://api.test" })
      yield* client.users.get({ path: { id } })
      const calls = yield* Effect.forEach([1, 2, 3], () => Effect.fork(client.users.get({ path: { id } })))
      yield* TestClock.adjust("0 millis")
      assert.strictEqual(server.received.length, 2)
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(server.received.length, 3)
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(server.received.length, 4)
      yield* Fiber.join(Fiber.all(calls))
    }).pipe(Effect.provide(server.layer))
  })

  it.effect("fails a call at once, and sends nothing, when the reset comes after its deadline", () => {
    const server = inMemory(() => ({ status: 200, headers: { "ratelimit": `"default";r=0;t=120` } }))
    return Effect.gen(function*() {
      const client = yield* ErrataClient.make(UsersApi, { baseUrl: "http://api.test", retry: { deadline: "30 seconds" } })
      yield* client.users.get({ path: { id } })
      const error = yield* Effect.flip(client.users.get({ path: { id } }))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(server.received.length, 1)
    }).pipe(Effect.provide(server.layer))
  })
})
