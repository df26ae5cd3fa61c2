import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { Conflict, InvalidRequest, ServiceUnavailable, UnprocessableEntity } from "@errata/domain/Errors"
import { Idempotency, Testing } from "@errata/server"
import * as IdempotencyRedis from "@errata/server/IdempotencyRedis"
import * as IdempotencySql from "@errata/server/IdempotencySql"
import type { Scope } from "effect"
import type { Duration } from "effect"
import { Context, Effect, Fiber, Layer, TestClock } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bearer, Directory, order, secureServer } from "./fixtures/SecureServer.js"
import { postgres, postgresReachable, postgresSchema, postgresUrl, redisReachable, redisUrl, uniqueName } from "./fixtures/Services.js"

type Instance = Context.Context<HttpClient.HttpClient>

/** A store, as two instances of a server see it: the layers of each, on the same keys. */
interface Store {
  readonly name: string
  readonly skip: string | undefined
  /** Whether the store keeps time by the Effect clock (so that expiry can be tested under `TestClock`). */
  readonly effectClock: boolean
  readonly make: (
    ttl: Duration.DurationInput
  ) => Effect.Effect<
    readonly [Layer.Layer<Idempotency.Idempotency, unknown>, Layer.Layer<Idempotency.Idempotency, unknown>],
    unknown,
    Scope.Scope
  >
}

const stores: ReadonlyArray<Store> = [
  {
    name: "memory",
    skip: undefined,
    effectClock: true,
    make: (ttl) =>
      Effect.sync(() => {
        const layer = Idempotency.layer(Idempotency.memoryStore(), { ttl })
        return [layer, layer] as const
      })
  },
  {
    name: "SQLite (IdempotencySql)",
    skip: undefined,
    effectClock: true,
    make: (ttl) =>
      Effect.sync(() => {
        const filename = join(mkdtempSync(join(tmpdir(), "errata-idempotency-")), "keys.db")
        const layer = () => IdempotencySql.layer({ ttl }).pipe(Layer.provide(SqliteClient.layer({ filename })))
        return [layer(), layer()] as const
      })
  },
  {
    name: "PostgreSQL (IdempotencySql)",
    skip: postgresReachable ? undefined : `no PostgreSQL answers at ${postgresUrl}`,
    effectClock: true,
    make: (ttl) =>
      Effect.map(postgresSchema, (schema) => {
        const layer = () =>
          IdempotencySql.layer({ ttl, table: `${schema}.errata_idempotency_keys` }).pipe(Layer.provide(postgres()))
        return [layer(), layer()] as const
      })
  },
  {
    name: "Redis (IdempotencyRedis)",
    skip: redisReachable ? undefined : `no Redis answers at ${redisUrl}`,
    effectClock: false,
    make: (ttl) =>
      Effect.sync(() => {
        const prefix = `${uniqueName("errata:test:idempotency")}:`
        const layer = () => IdempotencyRedis.layer({ ttl, url: redisUrl, prefix })
        return [layer(), layer()] as const
      })
  }
]

/** Two instances of the secure server on `store`, with one directory of credentials; `alice` and `bob` are tokens. */
const instances = (store: Store, ttl: Duration.DurationInput = "24 hours") =>
  Effect.gen(function*() {
    const directory = new Directory()
    // Tokens that outlive the keys.
    yield* directory.addToken("alice", { subject: "alice", ttl: 72 * 3_600_000 })
    yield* directory.addToken("bob", { subject: "bob", ttl: 72 * 3_600_000 })
    const [first, second] = yield* store.make(ttl)
    const a: Instance = yield* Layer.build(secureServer(directory, { idempotency: first }))
    const b: Instance = yield* Layer.build(secureServer(directory, { idempotency: second }))
    return { directory, a, b }
  })

const on = (instance: Instance, request: HttpClientRequest.HttpClientRequest) =>
  Testing.send(request).pipe(Effect.provide(instance))

const decode = (answer: Testing.Answer) => WireFormat.OAuthDetails.decode(answer)

for (const store of stores) {
  describe(`Idempotency-Key with the ${store.name} store`, () => {
    if (store.skip !== undefined) console.log(`Idempotency ${store.name} tests skipped: ${store.skip}`)
    const test = store.skip === undefined ? it.scopedLive : it.scopedLive.skip

    test("replays the first response to a repeat, on any instance, with Idempotent-Replayed: true", () =>
      Effect.gen(function*() {
        const { a, b, directory } = yield* instances(store)
        const first = yield* on(a, order("tea", "key-1").pipe(bearer("alice")))
        assert.strictEqual(first.status, 201)
        assert.isUndefined(first.headers["idempotent-replayed"])
        const repeat = yield* on(b, order("tea", "key-1").pipe(bearer("alice")))
        assert.strictEqual(repeat.status, 201)
        assert.strictEqual(repeat.body, first.body)
        assert.strictEqual(repeat.headers["content-type"], first.headers["content-type"])
        assert.strictEqual(repeat.headers["idempotent-replayed"], "true")
        assert.notStrictEqual(repeat.headers["x-request-id"], first.headers["x-request-id"])
        assert.strictEqual(directory.executions, 1)
      }))

    test("answers 409 conflict while the first request with the key still runs, then replays it", () =>
      Effect.gen(function*() {
        const { a, b, directory } = yield* instances(store)
        const slow = HttpClientRequest.post("/slow-orders").pipe(
          HttpClientRequest.bodyUnsafeJson({ item: "tea" }),
          HttpClientRequest.setHeader("idempotency-key", "key-2"),
          bearer("alice")
        )
        const running = yield* Effect.fork(on(a, slow))
        yield* Effect.sleep("100 millis")
        const during = yield* on(b, slow)
        assert.strictEqual(during.status, 409)
        assert.instanceOf(decode(during), Conflict)
        const first = yield* Fiber.join(running)
        assert.strictEqual(first.status, 201)
        const after = yield* on(b, slow)
        assert.strictEqual(after.body, first.body)
        assert.strictEqual(after.headers["idempotent-replayed"], "true")
        assert.strictEqual(directory.executions, 1)
      }))

    test("answers 422 unprocessable_entity for the same key with another payload", () =>
      Effect.gen(function*() {
        const { a, b, directory } = yield* instances(store)
        assert.strictEqual((yield* on(a, order("tea", "key-3").pipe(bearer("alice")))).status, 201)
        const other = yield* on(b, order("coffee", "key-3").pipe(bearer("alice")))
        assert.strictEqual(other.status, 422)
        assert.instanceOf(decode(other), UnprocessableEntity)
        assert.strictEqual(directory.executions, 1)
      }))

    test("keeps keys per principal: the same key of two callers is two requests", () =>
      Effect.gen(function*() {
        const { a, directory } = yield* instances(store)
        const alice = yield* on(a, order("tea", "key-4").pipe(bearer("alice")))
        const bob = yield* on(a, order("tea", "key-4").pipe(bearer("bob")))
        assert.notStrictEqual(alice.body, bob.body)
        assert.isUndefined(bob.headers["idempotent-replayed"])
        assert.strictEqual(directory.executions, 2)
      }))

    test("stores errors, but neither validation failures nor the failures a retry is for", () =>
      Effect.gen(function*() {
        const { a, b, directory } = yield* instances(store)
        const forbidden = HttpClientRequest.post("/admin").pipe(HttpClientRequest.setHeader("idempotency-key", "key-5"), bearer("alice"))
        const refused = yield* on(a, forbidden)
        assert.strictEqual(refused.status, 403)
        const again = yield* on(b, forbidden)
        assert.strictEqual(again.status, 403)
        assert.strictEqual(again.headers["idempotent-replayed"], "true")
        assert.strictEqual(again.headers["www-authenticate"], refused.headers["www-authenticate"])

        assert.strictEqual((yield* on(a, order("", "key-6").pipe(bearer("alice")))).status, 422)
        assert.strictEqual((yield* on(b, order("tea", "key-6").pipe(bearer("alice")))).status, 201)

        const flaky = HttpClientRequest.post("/flaky").pipe(HttpClientRequest.setHeader("idempotency-key", "key-7"), bearer("alice"))
        assert.instanceOf(decode(yield* on(a, flaky)), ServiceUnavailable)
        const retried = yield* on(b, flaky)
        assert.strictEqual(retried.status, 200)
        assert.isUndefined(retried.headers["idempotent-replayed"])
        assert.strictEqual(directory.flakyCalls, 2)
      }))

    test("lets only a claim's owner complete or release it, after another owner took a stale claim over", () =>
      Effect.gen(function*() {
        const [layer] = yield* store.make("1 hour")
        const { store: keys } = Context.get(yield* Layer.build(layer), Idempotency.Idempotency)
        const claim = (owner: string, now: number) =>
          keys.claim({ scope: "alice\nkey-s", owner, fingerprint: "f", now, expiresAt: now + 3_600_000, staleBefore: now - 60_000 })
        const now = Date.now()
        assert.deepStrictEqual(yield* claim("first", now), { _tag: "Claimed" })
        assert.deepStrictEqual(yield* claim("second", now + 1_000), { _tag: "Running" })
        // The first request never finished (its process stopped): a minute on, its claim is taken over.
        assert.deepStrictEqual(yield* claim("second", now + 61_000), { _tag: "Claimed" })
        const response = { status: 201, headers: { "content-type": "application/json" }, body: "{}" }
        yield* keys.complete("alice\nkey-s", "first", { ...response, body: "{\"late\":true}" }, { now: now + 62_000, expiresAt: now + 3_600_000 })
        yield* keys.release("alice\nkey-s", "first")
        assert.deepStrictEqual(yield* claim("third", now + 63_000), { _tag: "Running" })
        yield* keys.complete("alice\nkey-s", "second", response, { now: now + 64_000, expiresAt: now + 3_600_000 })
        assert.deepStrictEqual(yield* claim("third", now + 65_000), { _tag: "Replay", response })
      }))

    test("keeps the headers and cookies a handler adds, and no debug details, for the repeat", () =>
      Effect.gen(function*() {
        const directory = new Directory()
        yield* directory.addToken("alice", { subject: "alice", scopes: [] })
        const [layer] = yield* store.make("1 hour")
        const instance = yield* Layer.build(secureServer(directory, { idempotency: layer, config: { debug: true } }))
        const receipt = HttpClientRequest.post("/receipts").pipe(
          HttpClientRequest.bodyUnsafeJson({ item: "tea" }),
          HttpClientRequest.setHeader("idempotency-key", "key-r"),
          bearer("alice")
        )
        const first = yield* on(instance, receipt)
        const repeat = yield* on(instance, receipt)
        assert.strictEqual(repeat.headers["idempotent-replayed"], "true")
        assert.strictEqual(repeat.headers["x-receipt"], first.headers["x-receipt"])
        assert.strictEqual(repeat.headers["set-cookie"], first.headers["set-cookie"])
        assert.match(first.headers["set-cookie"] ?? "", /^receipt=rcpt_1/)

        const debug = HttpClientRequest.post("/admin").pipe(
          HttpClientRequest.setHeader("idempotency-key", "key-d"),
          HttpClientRequest.setHeader("x-debug", "true"),
          bearer("alice")
        )
        assert.property(JSON.parse((yield* on(instance, debug)).body), "debug")
        const replayed = yield* on(instance, debug.pipe(HttpClientRequest.setHeader("x-debug", "false")))
        assert.strictEqual(replayed.headers["idempotent-replayed"], "true")
        assert.notProperty(JSON.parse(replayed.body), "debug")
        assert.strictEqual(directory.executions, 1)
      }))

    if (store.effectClock) {
      it.scoped.skipIf(store.skip !== undefined)("forgets a key after its time to live (24 hours by default)", () =>
        Effect.gen(function*() {
          const { a, directory } = yield* instances(store)
          assert.strictEqual((yield* on(a, order("tea", "key-8").pipe(bearer("alice")))).status, 201)
          yield* TestClock.adjust("23 hours")
          assert.strictEqual((yield* on(a, order("tea", "key-8").pipe(bearer("alice")))).headers["idempotent-replayed"], "true")
          yield* TestClock.adjust("1 hours")
          const later = yield* on(a, order("tea", "key-8").pipe(bearer("alice")))
          assert.strictEqual(later.status, 201)
          assert.isUndefined(later.headers["idempotent-replayed"])
          assert.strictEqual(directory.executions, 2)
        }))
    } else {
      test("forgets a key after its time to live", () =>
        Effect.gen(function*() {
          const { a, directory } = yield* instances(store, "1 second")
          assert.strictEqual((yield* on(a, order("tea", "key-8").pipe(bearer("alice")))).status, 201)
          assert.strictEqual((yield* on(a, order("tea", "key-8").pipe(bearer("alice")))).headers["idempotent-replayed"], "true")
          yield* Effect.sleep("1200 millis")
          assert.isUndefined((yield* on(a, order("tea", "key-8").pipe(bearer("alice")))).headers["idempotent-replayed"])
          assert.strictEqual(directory.executions, 2)
        }))
    }
  })
}

describe("Idempotency-Key: the key itself", () => {
  it.scopedLive("takes the query as part of the request: the same key on another URL is another request", () =>
    Effect.gen(function*() {
      const { a } = yield* instances(stores[0]!)
      assert.strictEqual((yield* on(a, order("tea", "key-q").pipe(bearer("alice")))).status, 201)
      const other = order("tea", "key-q").pipe(HttpClientRequest.setUrl("/orders?express=true"), bearer("alice"))
      assert.strictEqual((yield* on(a, other)).status, 422)
    }))

  it.scopedLive("runs a request with a key to its end when the caller hangs up, and keeps its response for the retry", () =>
    Effect.gen(function*() {
      const { a, directory } = yield* instances(stores[0]!)
      const slow = HttpClientRequest.post("/slow-orders").pipe(
        HttpClientRequest.bodyUnsafeJson({ item: "tea" }),
        HttpClientRequest.setHeader("idempotency-key", "key-h"),
        bearer("alice")
      )
      // The caller gives up 100 ms into the 300 ms handler.
      const gaveUp = yield* on(a, slow).pipe(Effect.timeout("100 millis"), Effect.option)
      assert.isTrue(gaveUp._tag === "None")
      yield* Effect.sleep("400 millis")
      const retry = yield* on(a, slow)
      assert.strictEqual(retry.status, 201, retry.body)
      assert.strictEqual(retry.headers["idempotent-replayed"], "true")
      assert.strictEqual(directory.executions, 1)
    }))

  it.scopedLive("keeps nothing of a request the deadline cut short: its retry runs again", () =>
    Effect.gen(function*() {
      const directory = new Directory()
      yield* directory.addToken("alice")
      const instance = yield* Layer.build(
        secureServer(directory, { idempotency: Idempotency.layerMemory(), config: { handlerTimeout: "100 millis" } })
      )
      const slow = HttpClientRequest.post("/slow-orders").pipe(
        HttpClientRequest.bodyUnsafeJson({ item: "tea" }),
        HttpClientRequest.setHeader("idempotency-key", "key-t"),
        bearer("alice")
      )
      assert.strictEqual((yield* on(instance, slow)).status, 504)
      const again = yield* on(instance, slow)
      assert.strictEqual(again.status, 504)
      assert.isUndefined(again.headers["idempotent-replayed"])
      assert.strictEqual(directory.executions, 0)
    }))

  it.scopedLive("refuses an empty key and one over 255 characters with 400 invalid_request; takes 255", () =>
    Effect.gen(function*() {
      const { a, directory } = yield* instances(stores[0]!)
      for (const key of ["", "k".repeat(256)]) {
        const answer = yield* on(a, order("tea").pipe(HttpClientRequest.setHeader("idempotency-key", key), bearer("alice")))
        assert.strictEqual(answer.status, 400, `a key of ${key.length}`)
        assert.instanceOf(decode(answer), InvalidRequest)
      }
      assert.strictEqual((yield* on(a, order("tea", "k".repeat(255)).pipe(bearer("alice")))).status, 201)
      assert.strictEqual(directory.executions, 1)
    }))

  it.scopedLive("requires a key where the contract says so (Idempotency.required)", () =>
    Effect.gen(function*() {
      const { a } = yield* instances(stores[0]!)
      const strict = HttpClientRequest.post("/strict").pipe(HttpClientRequest.bodyUnsafeJson({ item: "tea" }), bearer("alice"))
      const without = yield* on(a, strict)
      assert.strictEqual(without.status, 400)
      assert.strictEqual(JSON.parse(without.body).error_description, "This endpoint requires an Idempotency-Key header")
      assert.strictEqual((yield* on(a, strict.pipe(HttpClientRequest.setHeader("idempotency-key", "key-9")))).status, 200)
    }))

  it.scopedLive("refuses a request with a key, 503, while the store cannot be reached; runs those without", () =>
    Effect.gen(function*() {
      const directory = new Directory()
      yield* directory.addToken("alice")
      const logs: Array<Testing.LogEntry> = []
      const down = IdempotencyRedis.layer({ url: "redis://127.0.0.1:1" })
      const instance = yield* Layer.build(secureServer(directory, { idempotency: down, logs }))
      const refused = yield* on(instance, order("tea", "key-10").pipe(bearer("alice")))
      assert.strictEqual(refused.status, 503)
      assert.strictEqual(refused.headers["retry-after"], "1")
      assert.strictEqual(directory.executions, 0)
      assert.isTrue(logs.some((entry) => entry.message === "idempotency store unavailable; request refused"))
      assert.strictEqual((yield* on(instance, order("tea").pipe(bearer("alice")))).status, 201)
    }))

  it.scopedLive("ignores keys on a server without a store", () =>
    Effect.gen(function*() {
      const directory = new Directory()
      yield* directory.addToken("alice")
      const instance = yield* Layer.build(secureServer(directory))
      yield* on(instance, order("tea", "key-11").pipe(bearer("alice")))
      const second = yield* on(instance, order("tea", "key-11").pipe(bearer("alice")))
      assert.isUndefined(second.headers["idempotent-replayed"])
      assert.strictEqual(directory.executions, 2)
    }))
})

