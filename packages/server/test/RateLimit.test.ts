import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it, layer, vi } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { RateLimitExceeded } from "@errata/domain/Errors"
import { Admission, RateLimit } from "@errata/server"
import * as RateLimitRedis from "@errata/server/RateLimitRedis"
import { Effect, Layer } from "effect"
import type { Testing } from "@errata/server"
import { redisReachable, redisUrl } from "./fixtures/Services.js"
import { send, testServer } from "./fixtures/TestServer.js"

const byApiKey = (request: { readonly headers: Readonly<Record<string, string | undefined>> }) =>
  request.headers["x-api-key"] ?? "anonymous"

const get = (key: string) =>
  HttpClientRequest.get("/items/known").pipe(
    HttpClientRequest.setHeader("x-api-key", key),
    HttpClientRequest.setHeader("x-request-id", "req_rl")
  )

layer(testServer({ rateLimit: RateLimit.layerMemory({ limit: 2, window: "1 minute", key: byApiKey }), logs: [] }), {
  excludeTestServices: true
})("RateLimit with the memory store", (it) => {
  it.effect("lets `limit` requests through per key, then answers 429 with Retry-After and the rate-limit headers", () =>
    Effect.gen(function*() {
      const first = yield* send(get("alice"))
      assert.strictEqual(first.status, 200)
      assert.strictEqual(first.headers["ratelimit-policy"], "\"default\";q=2;w=60")
      assert.strictEqual(first.headers["x-ratelimit-limit"], "2")
      assert.strictEqual(first.headers["x-ratelimit-remaining"], "1")
      assert.match(first.headers["ratelimit"]!, /^"default";r=1;t=\d+$/)

      const second = yield* send(get("alice"))
      assert.strictEqual(second.status, 200)
      assert.strictEqual(second.headers["x-ratelimit-remaining"], "0")

      const third = yield* send(get("alice"))
      assert.strictEqual(third.status, 429)
      const retryAfter = Number(third.headers["retry-after"])
      assert.isTrue(retryAfter >= 29 && retryAfter <= 30, `Retry-After ${retryAfter}`)
      assert.strictEqual(third.headers["ratelimit"], `"default";r=0;t=${retryAfter}`)
      assert.strictEqual(third.headers["ratelimit-policy"], "\"default\";q=2;w=60")
      assert.strictEqual(third.headers["x-ratelimit-limit"], "2")
      assert.strictEqual(third.headers["x-ratelimit-remaining"], "0")
      assert.strictEqual(third.headers["x-ratelimit-reset"], String(retryAfter))
      assert.strictEqual(third.headers["x-request-id"], "req_rl")
      assert.strictEqual(
        third.body,
        WireFormat.OAuthDetails.encode(new RateLimitExceeded({ message: "Rate limit exceeded", retryAfter }), {
          requestId: "req_rl"
        }).body
      )
      assert.strictEqual(JSON.parse(third.body).retry_after, retryAfter)
    }))

  it.effect("keeps one bucket per key", () =>
    Effect.gen(function*() {
      const other = yield* send(get("bob"))
      assert.strictEqual(other.status, 200)
      assert.strictEqual(other.headers["x-ratelimit-remaining"], "1")
    }))

  it.effect("limits unknown routes too, before routing", () =>
    Effect.gen(function*() {
      yield* send(get("carol"))
      yield* send(get("carol"))
      const answer = yield* send(
        HttpClientRequest.get("/nowhere").pipe(HttpClientRequest.setHeader("x-api-key", "carol"))
      )
      assert.strictEqual(answer.status, 429)
    }))
})

describe("Requests turned away, logged", () => {
  it.scopedLive("one line each up to 10 a second; past that counted, and one line at the end of the second says how many", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      const server = yield* Layer.build(testServer({ rateLimit: RateLimit.layerMemory({ limit: 1, key: byApiKey }), logs }))
      const burst = 40
      const statuses: Array<number> = []
      for (let i = 0; i <= burst; i++) statuses.push((yield* send(get("flood")).pipe(Effect.provide(server))).status)
      assert.deepStrictEqual(statuses, [200, ...Array.from({ length: burst }, () => 429)])
      const summaries = () =>
        logs.filter((entry) => entry.message === "requests turned away, not logged one by one")
      // The counts are logged when the second ends.
      yield* Effect.sleep("1100 millis")
      const lines = logs.filter((entry) => entry.message === "request failed" && entry.annotations.status === 429)
      const counted = summaries().reduce((sum, entry) => sum + Number(entry.annotations.count), 0)
      assert.isAtMost(lines.length, 20, "at most 10 a second, and the burst spans at most two seconds")
      assert.isAtLeast(summaries().length, 1)
      assert.deepInclude(summaries()[0]!.annotations, { error_code: "rate_limit_exceeded", status: 429 })
      assert.strictEqual(lines.length + counted, burst, "every request turned away is logged or counted")
    }))
})

describe("A rate limit key that throws", () => {
  it.scopedLive("answers 500 in the format, logs the defect, and gives the admission place back", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      const admission = Admission.make({ maxConcurrent: 1 })
      const failing = (request: { readonly headers: Readonly<Record<string, string | undefined>> }) =>
        request.headers["x-api-key"]!.toLowerCase()
      const server = yield* Layer.build(testServer({
        rateLimit: RateLimit.layerMemory({ limit: 100, key: failing }),
        admission: Layer.succeed(Admission.Admission, admission),
        logs
      }))
      const unkeyed = HttpClientRequest.get("/items/known").pipe(HttpClientRequest.setHeader("x-request-id", "req_nokey"))
      for (let i = 0; i < 3; i++) {
        const answer = yield* send(unkeyed).pipe(Effect.provide(server))
        assert.strictEqual(answer.status, 500)
        assert.strictEqual(JSON.parse(answer.body).error, "internal_error")
        assert.notInclude(answer.body, "toLowerCase")
      }
      assert.strictEqual(yield* admission.inFlight, 0)
      assert.strictEqual((yield* send(get("gus")).pipe(Effect.provide(server))).status, 200)
      assert.isTrue(logs.some((entry) => entry.level === "ERROR" && entry.annotations.request_id === "req_nokey"))
    }))
})

describe("RateLimit with the Redis store", () => {
  if (!redisReachable) console.log(`RateLimit Redis test skipped: no Redis answers at ${redisUrl}`)

  it.scopedLive.skipIf(!redisReachable)("shares one limit between two server instances", () =>
    Effect.gen(function*() {
      // A prefix of this run's own, so that runs and other users of the same Redis do not see each other's buckets.
      const prefix = `errata:test:${process.pid}:${Date.now()}:`
      const redis = () => RateLimitRedis.layer({ limit: 2, window: "1 minute", key: byApiKey, url: redisUrl, prefix })
      const a = yield* Layer.build(testServer({ rateLimit: redis(), logs: [] }))
      const b = yield* Layer.build(testServer({ rateLimit: redis(), logs: [] }))
      const statuses: Array<number> = []
      for (const instance of [a, b, a, b]) {
        statuses.push((yield* send(get("dana")).pipe(Effect.provide(instance))).status)
      }
      assert.deepStrictEqual(statuses, [200, 200, 429, 429])
    }))

  it.scopedLive.skipIf(!redisReachable)("reserves tokens a few at a time, and never lets more through than the limit", () =>
    Effect.gen(function*() {
      const prefix = `errata:test:${process.pid}:${Date.now()}:`
      // A limit of 400 an hour: 4 tokens reserved at most at once, and none refilled during the test.
      const redis = () =>
        RateLimitRedis.layer({ limit: 400, window: "1 hour", key: byApiKey, url: redisUrl, prefix, reserve: 4 })
      const a = yield* Layer.build(testServer({ rateLimit: redis(), logs: [] }))
      const b = yield* Layer.build(testServer({ rateLimit: redis(), logs: [] }))
      let allowed = 0
      for (let i = 0; i < 500; i++) {
        const answer = yield* send(get("fay")).pipe(Effect.provide(i % 3 === 0 ? b : a))
        if (answer.status === 200) allowed++
        else assert.strictEqual(answer.status, 429)
      }
      // Tokens one instance holds are not the other's: at most a reservation each is left unused.
      assert.isAtMost(allowed, 400)
      assert.isAtLeast(allowed, 400 - 2 * 4)
    }))

  it.scopedLive.skipIf(!redisReachable)("asks Redis once at a time per key: a burst never gets more than the limit", () =>
    Effect.gen(function*() {
      const prefix = `errata:test:${process.pid}:${Date.now()}:burst:`
      const server = yield* Layer.build(testServer({
        rateLimit: RateLimitRedis.layer({ limit: 10, window: "1 hour", key: byApiKey, url: redisUrl, prefix, reserve: 4 }),
        logs: []
      }))
      const answers = yield* Effect.all(
        Array.from({ length: 60 }, () => send(get("hal")).pipe(Effect.provide(server))),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(answers.filter((answer) => answer.status === 200).length, 10)
      assert.strictEqual(answers.filter((answer) => answer.status === 429).length, 50)
    }))

  it.scopedLive("lets requests through, and logs, when Redis cannot be reached", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      // ioredis prints the errors of a client that nobody listens to ("[ioredis] Unhandled error event").
      const consoleError = yield* Effect.acquireRelease(
        Effect.sync(() => vi.spyOn(console, "error")),
        (spy) => Effect.sync(() => spy.mockRestore())
      )
      // Nothing listens on port 1 of the loopback address: connections are refused at once.
      const server = yield* Layer.build(testServer({
        rateLimit: RateLimitRedis.layer({ limit: 1, url: "redis://127.0.0.1:1", key: byApiKey }),
        logs
      }))
      const answers = [
        yield* send(get("erin")).pipe(Effect.provide(server)),
        yield* send(get("erin")).pipe(Effect.provide(server))
      ]
      assert.deepStrictEqual(answers.map((answer) => answer.status), [200, 200])
      assert.isTrue(logs.some((entry) =>
        entry.level === "WARN" && entry.message === "rate limit store unavailable; request let through" &&
        entry.cause.includes("Failed to execute the rate limit's take command")
      ))
      assert.deepStrictEqual(consoleError.mock.calls, [])
    }))
})
