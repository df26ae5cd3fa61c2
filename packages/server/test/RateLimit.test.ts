import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { RateLimitExceeded, WireFormat } from "@errata/domain"
import { RateLimit } from "@errata/server"
import { Effect, Layer } from "effect"
import { execFileSync, spawn } from "node:child_process"
import type { LogEntry } from "./fixtures/TestServer.js"
import { freePort, send, testServer } from "./fixtures/TestServer.js"

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


const redisServer = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || undefined
  } catch {
    return undefined
  }
})()

/** A throwaway redis-server on a free loopback port, stopped with the scope. */
const startRedis = Effect.acquireRelease(
  Effect.gen(function*() {
    const port = yield* Effect.promise(freePort)
    const child = spawn(redisServer!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    yield* Effect.async<void, Error>((resume) => {
      const timer = setTimeout(() => resume(Effect.fail(new Error("redis-server did not start"))), 5_000)
      child.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Ready to accept connections")) {
          clearTimeout(timer)
          resume(Effect.void)
        }
      })
    })
    return { port, child }
  }),
  ({ child }) => Effect.sync(() => child.kill("SIGKILL"))
)

describe("RateLimit with the Redis store", () => {
  if (redisServer === undefined) {
    console.log("RateLimit Redis tests skipped: no redis-server on PATH (.ci/run installs Debian's redis-server)")
  }

  it.scopedLive.skipIf(redisServer === undefined)("shares one limit between two server instances", () =>
    Effect.gen(function*() {
      const { port } = yield* startRedis
      const redis = (prefix: string) =>
        RateLimit.layerRedis({ limit: 2, window: "1 minute", key: byApiKey, url: `redis://127.0.0.1:${port}/0`, prefix })
      const prefix = `errata:test:${Date.now()}:`
      const instanceA = testServer({ rateLimit: redis(prefix), logs: [] })
      const instanceB = testServer({ rateLimit: redis(prefix), logs: [] })
      const a = yield* Layer.build(instanceA)
      const b = yield* Layer.build(instanceB)
      const statuses: Array<number> = []
      for (const instance of [a, b, a, b]) {
        statuses.push((yield* send(get("dana")).pipe(Effect.provide(instance))).status)
      }
      assert.deepStrictEqual(statuses, [200, 200, 429, 429])
    }))

  it.scopedLive("lets requests through, and logs, when Redis cannot be reached", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(freePort)
      const logs: Array<LogEntry> = []
      const server = yield* Layer.build(testServer({
        rateLimit: RateLimit.layerRedis({ limit: 1, url: `redis://127.0.0.1:${port}`, key: byApiKey }),
        logs
      }))
      const answers = [
        yield* send(get("erin")).pipe(Effect.provide(server)),
        yield* send(get("erin")).pipe(Effect.provide(server))
      ]
      assert.deepStrictEqual(answers.map((answer) => answer.status), [200, 200])
      assert.isTrue(logs.some((entry) =>
        entry.level === "WARN" && entry.message === "rate limit store unavailable; request let through" &&
        entry.cause.includes("Failed to execute tokenBucket")
      ))
    }))
})
