import { HttpClientRequest, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { Testing } from "@errata/server"
import { Effect, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Database from "../src/Database.js"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import { json } from "./fixtures/Http.js"

const requestId = "req_ref_1"
const tempDatabase = () => join(mkdtempSync(join(tmpdir(), "errata-")), "errata.db")

const server = (options: IdentityAdmin.Options, logs: Array<Testing.LogEntry> = []) =>
  IdentityAdmin.layer(options).pipe(
    Layer.provide(Testing.captureLogs(logs)),
    Layer.provideMerge(NodeHttpServer.layerTest)
  ) as Layer.Layer<import("@effect/platform").HttpClient.HttpClient | HttpServer.HttpServer, unknown>

const withId = (request: HttpClientRequest.HttpClientRequest) =>
  request.pipe(HttpClientRequest.setHeader("x-request-id", requestId))

const create = (body: unknown) => Testing.send(withId(json("POST", "/api/admin/users", JSON.stringify(body))))

layer(server({ database: { filename: tempDatabase() } }), { excludeTestServices: true })(
  "identity-admin: users (oauth-details, the default)",
  (it) => {
    it.effect("creates, reads, lists, updates and deletes a user", () =>
      Effect.gen(function*() {
        const created = yield* create({ email: " Ann@Example.com ", name: "Ann", password: "s3cretpass" })
        assert.strictEqual(created.status, 201)
        assert.strictEqual(created.headers["x-request-id"], requestId)
        const user = JSON.parse(created.body)
        assert.match(user.id, /^usr_[0-9a-f]{32}$/)
        assert.strictEqual(user.email, "ann@example.com")
        assert.notProperty(user, "password")
        assert.notProperty(user, "password_hash")

        const read = yield* Testing.send(HttpClientRequest.get(`/api/admin/users/${user.id}`))
        assert.deepStrictEqual(JSON.parse(read.body), user)

        const listed = yield* Testing.send(HttpClientRequest.get("/api/admin/users?limit=10"))
        assert.deepStrictEqual(JSON.parse(listed.body).users.map((u: { id: string }) => u.id).includes(user.id), true)

        const updated = yield* Testing.send(json("PATCH", `/api/admin/users/${user.id}`, JSON.stringify({ name: "Ann B." })))
        assert.strictEqual(updated.status, 200)
        assert.strictEqual(JSON.parse(updated.body).name, "Ann B.")

        const deleted = yield* Testing.send(HttpClientRequest.del(`/api/admin/users/${user.id}`))
        assert.strictEqual(deleted.status, 204)
        const gone = yield* Testing.send(withId(HttpClientRequest.get(`/api/admin/users/${user.id}`)))
        assert.strictEqual(gone.status, 404)
      }))

    it.effect("answers a taken email with 409 email_already_exists", () =>
      Effect.gen(function*() {
        yield* create({ email: "bob@example.com", name: "Bob", password: "s3cretpass" })
        const again = yield* create({ email: "BOB@example.com", name: "Bobby", password: "s3cretpass" })
        assert.strictEqual(again.status, 409)
        assert.strictEqual(
          again.body,
          `{"error":"email_already_exists","error_description":"This email address is already in use","request_id":"${requestId}","email":"bob@example.com"}`
        )
      }))

    it.effect("answers an unknown id with 404 user_not_found", () =>
      Effect.gen(function*() {
        for (const request of [
          HttpClientRequest.get("/api/admin/users/usr_nobody"),
          json("PATCH", "/api/admin/users/usr_nobody", "{}"),
          HttpClientRequest.del("/api/admin/users/usr_nobody")
        ]) {
          const answer = yield* Testing.send(withId(request))
          assert.strictEqual(answer.status, 404)
          assert.strictEqual(
            answer.body,
            `{"error":"user_not_found","error_description":"The specified user was not found","request_id":"${requestId}","user_id":"usr_nobody"}`
          )
        }
      }))

    it.effect("answers an invalid email with 422 invalid_email", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: "not-an-email", name: "Cy", password: "s3cretpass" })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"invalid_email","error_description":"Please enter a valid email address","details":{"email":"Please enter a valid email address"},"request_id":"${requestId}"}`
        )
      }))

    it.effect("answers a weak password with 422 invalid_password, without echoing it", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: "dee@example.com", name: "Dee", password: "short" })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"invalid_password","error_description":"Password does not meet requirements","details":{"password":"must be at least 8 characters long and contain a letter and a digit"},"request_id":"${requestId}"}`
        )
      }))

    it.effect("answers missing and mistyped fields with 422 validation_error, one entry per field", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: 42, password: "x".repeat(300) })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"validation_error","error_description":"Validation failed","details":{"email":"Expected string","name":"is required","password":"must be at most 256 characters"},"request_id":"${requestId}"}`
        )
        assert.notInclude(answer.body, "xxxxxxxx")
      }))
  }
)

layer(server({ errata: { format: WireFormat.ProblemDetails }, database: { filename: tempDatabase() } }), {
  excludeTestServices: true
})("identity-admin in problem-details", (it) => {
  it.effect("answers the same error as RFC 9457", () =>
    Effect.gen(function*() {
      const answer = yield* Testing.send(withId(HttpClientRequest.get("/api/admin/users/usr_nobody")))
      assert.strictEqual(answer.status, 404)
      assert.strictEqual(answer.headers["content-type"], "application/problem+json")
      assert.strictEqual(
        answer.body,
        `{"type":"/errors/user_not_found","title":"User not found","status":404,"detail":"The specified user was not found","code":"user_not_found","request_id":"${requestId}","user_id":"usr_nobody"}`
      )
    }))
})

const databaseError = `{"error":"database_error","error_description":"A database error occurred. Please try again later.","request_id":"${requestId}"}`

/** A body that says nothing of the database's internals. */
const assertNoLeak = (body: string) => {
  for (const word of ["SQLITE", "sqlite", "INSERT", "SELECT", "users", "errata.db", "readonly"]) {
    assert.notInclude(body, word)
  }
}

describe("identity-admin: database failures answer 500 database_error without leaking SQL", () => {
  const migrated = tempDatabase()

  it.live("a read-only database", () =>
    Effect.gen(function*() {
      yield* Layer.build(server({ database: { filename: migrated } })).pipe(Effect.scoped)
      const logs: Array<Testing.LogEntry> = []
      const answer = yield* create({ email: "eve@example.com", name: "Eve", password: "s3cretpass" }).pipe(
        Effect.provide(server({ database: { filename: migrated, readonly: true } }, logs))
      )
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(answer.body, databaseError)
      assertNoLeak(answer.body)
      assert.isTrue(logs.some((entry) => entry.message === "database failure" && entry.cause.includes("SqlError")))
    }))

  it.live("a database locked by another connection", () =>
    Effect.gen(function*() {
      const filename = tempDatabase()
      yield* Layer.build(server({ database: { filename } })).pipe(Effect.scoped)
      const answer = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`BEGIN EXCLUSIVE`
        return yield* create({ email: "fay@example.com", name: "Fay", password: "s3cretpass" }).pipe(
          Effect.provide(server({ database: { filename, busyTimeoutMs: 50 } }))
        )
      }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(answer.body, databaseError)
      assertNoLeak(answer.body)
    }))

  it.live("a database file that does not exist", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      const missing = join(tmpdir(), "errata-missing", "nowhere", "errata.db")
      const answer = yield* create({ email: "gus@example.com", name: "Gus", password: "s3cretpass" }).pipe(
        Effect.provide(server({ database: { filename: missing, readonly: true } }, logs))
      )
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(answer.body, databaseError)
      assertNoLeak(answer.body)
      assert.isTrue(logs.some((entry) => entry.message === "database unavailable; answering database_error"))
    }))
})

describe("DATABASE_URL", () => {
  it("defaults to the embedded SQLite file, and takes file:PATH", () => {
    assert.strictEqual(Database.filenameFromUrl(undefined), "./data/errata.db")
    assert.strictEqual(Database.filenameFromUrl("file:/var/lib/errata/app.db"), "/var/lib/errata/app.db")
    assert.strictEqual(Database.filenameFromUrl("file:relative/app.db"), "relative/app.db")
    assert.throws(() => Database.filenameFromUrl("postgres://localhost/errata"), /file:PATH/)
  })
})
