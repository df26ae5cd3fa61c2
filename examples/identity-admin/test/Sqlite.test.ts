/**
 * The reference service on a SQLite file that fails, over real HTTP, with real files and another real process: a
 * write lock held by another process delays only the writes that need it, which end with `database_error`, while
 * everything else is answered; a file that cannot be opened is answered 503 until it can be, and then served without
 * a restart; a file replaced under the service is served from the new file.
 */
import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Testing } from "@errata/server"
import { Context, Effect, Fiber, Layer, Metric, Option } from "effect"
import { renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import type * as Database from "../src/Database.js"
import * as Sqlite from "../src/Sqlite.js"
import { fresh, kind, lockedByAnotherProcess, tempDatabase } from "./fixtures/Database.js"
import { json } from "./fixtures/Http.js"
import { pollUntil } from "./fixtures/Poll.js"
import { admin, adminToken, createUser, service, tokenRequest, withToken } from "./fixtures/Service.js"

/** The service on `database`, logging into `logs`; gives the means to run a caller's requests against it. */
const serving = (database: Database.SqliteOptions, logs: Array<Testing.LogEntry> = []) =>
  Effect.map(
    Layer.build(service({ database }, logs)),
    (context) => <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) => Effect.provide(effect, context)
  )

const get = (url: string, token?: string) =>
  Testing.send(token === undefined ? HttpClientRequest.get(url) : HttpClientRequest.get(url).pipe(withToken(token)))

const create = (token: string, email: string) =>
  Testing.send(
    json("POST", "/api/admin/users", JSON.stringify({ email, name: "Writer", password: "s3cretpass" })).pipe(
      withToken(token)
    )
  )

const ready = Effect.map(get("/ready"), (answer) => answer.status)

const lockWaits = Effect.map(Metric.value(Sqlite.lockWaits), (state) => state.count)

describe.skipIf(kind !== "sqlite")("the service on a SQLite file that fails", () => {
  it.scopedLive("another process's write lock: the rest answered while three writers wait, then database_error", () =>
    Effect.gen(function*() {
      const database = yield* fresh({ kind: "sqlite" })
      const options = database.options as Database.SqliteOptions
      const onService = yield* serving(options)
      const token = yield* onService(adminToken())
      const ann = yield* onService(createUser({ email: "ann@example.com", password: "s3cretpass" }))

      const writers = yield* Effect.scoped(Effect.gen(function*() {
        yield* lockedByAnotherProcess(options.filename)
        const before = yield* lockWaits
        const writers = yield* Effect.forEach(
          ["w1", "w2", "w3"],
          (name) => Effect.fork(onService(create(token, `${name}@example.com`)))
        )
        // Each writer has found the file locked, and waits for it.
        yield* pollUntil(lockWaits, (count) => count >= before + 3)
        const nowhere = yield* onService(get("/nowhere"))
        const health = yield* onService(get("/health"))
        const read = yield* onService(get(`/api/admin/users/${ann.id}`, token))
        for (const writer of writers) assert.isTrue(Option.isNone(yield* Fiber.poll(writer)), "a writer still waits")
        assert.strictEqual(nowhere.status, 404)
        assert.strictEqual(health.status, 200)
        assert.strictEqual(read.status, 200, read.body)
        return yield* Fiber.joinAll(writers)
      }))
      for (const writer of writers) {
        assert.strictEqual(writer.status, 500, writer.body)
        assert.strictEqual(JSON.parse(writer.body).error, "database_error")
      }

      // Released: writes go through again, and so does one that waited when the lock ends during its wait.
      assert.strictEqual((yield* onService(create(token, "after@example.com"))).status, 201)
      const waited = yield* Effect.scoped(Effect.gen(function*() {
        yield* lockedByAnotherProcess(options.filename)
        const before = yield* lockWaits
        const writer = yield* Effect.fork(onService(create(token, "waited@example.com")))
        yield* pollUntil(lockWaits, (count) => count > before)
        return writer
      }))
      const answer = yield* Fiber.join(waited)
      assert.strictEqual(answer.status, 201, answer.body)
    }), { timeout: 60_000 })

  it.scopedLive("a file that is not a database: 503 with Retry-After and /ready 503, then served once removed", () =>
    Effect.gen(function*() {
      const filename = tempDatabase()
      writeFileSync(filename, "This is not a SQLite database.\n".repeat(64))
      const logs: Array<Testing.LogEntry> = []
      const onService = yield* serving({ filename }, logs)

      const refused = yield* onService(create("at_anything", "eve@example.com"))
      assert.strictEqual(refused.status, 503, refused.body)
      assert.strictEqual(refused.headers["retry-after"], "1")
      assert.strictEqual(JSON.parse(refused.body).error, "service_unavailable")
      assert.notInclude(refused.body, "SQLITE")
      assert.strictEqual(yield* onService(ready), 503)
      // Without credentials to look up, the sign-in says the same.
      const login = yield* onService(
        Testing.send(json("POST", "/api/session", JSON.stringify({ email: "eve@example.com", password: "s3cretpass" })))
      )
      assert.strictEqual(login.status, 503, login.body)
      assert.strictEqual(login.headers["retry-after"], "1")

      rmSync(filename)
      assert.strictEqual(yield* onService(pollUntil(ready, (status) => status === 200)), 200)
      // The bootstrap client is created once the database is migrated.
      const clientCredentials = {
        grant_type: "client_credentials",
        client_id: admin.clientId,
        client_secret: admin.clientSecret
      }
      const issued = yield* onService(pollUntil(tokenRequest(clientCredentials), (answer) => answer.status === 200))
      const created = yield* onService(create(JSON.parse(issued.body).access_token, "eve@example.com"))
      assert.strictEqual(created.status, 201, created.body)
      assert.isTrue(logs.some((entry) => entry.message === "database unavailable; answering database_error"))
      assert.isTrue(logs.some((entry) => entry.message === "database migrated"))
    }), { timeout: 60_000 })

  it.scopedLive("a file replaced under the service, as a backup is restored: served from the new file", () =>
    Effect.gen(function*() {
      const database = yield* fresh({ kind: "sqlite" })
      const options = database.options as Database.SqliteOptions
      const logs: Array<Testing.LogEntry> = []
      const onService = yield* serving(options, logs)
      const token = yield* onService(adminToken())
      const ann = yield* onService(createUser({ email: "ann@example.com", password: "s3cretpass" }))
      const backup = join(dirname(options.filename), "backup.db")
      yield* Effect.scoped(Effect.flatMap(
        Layer.build(database.client),
        (context) => Effect.orDie(Context.get(context, SqlClient.SqlClient)`VACUUM INTO ${backup}`)
      ))
      const bob = yield* onService(createUser({ email: "bob@example.com", password: "s3cretpass" }))

      renameSync(backup, options.filename)
      const gone = yield* onService(
        pollUntil(get(`/api/admin/users/${bob.id}`, token), (answer) => answer.status === 404)
      )
      assert.strictEqual(gone.status, 404, gone.body)
      assert.strictEqual((yield* onService(get(`/api/admin/users/${ann.id}`, token))).status, 200)
      assert.strictEqual((yield* onService(create(token, "carol@example.com"))).status, 201)
      assert.isTrue(logs.some((entry) => entry.message === "database file removed or replaced; opening it again"))
    }), { timeout: 60_000 })
})
