import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { Testing } from "@errata/server"
import { ConfigProvider, Duration, Effect, Either, Redacted } from "effect"
import * as Database from "../src/Database.js"
import { fresh, holdingWriteLock, kind, tempDatabase, unreachable } from "./fixtures/Database.js"
import { json } from "./fixtures/Http.js"
import { adminToken, service, tokenRequest, admin, withToken } from "./fixtures/Service.js"

const requestId = "req_ref_1"

const withId = (request: HttpClientRequest.HttpClientRequest) =>
  request.pipe(HttpClientRequest.setHeader("x-request-id", requestId))

/** A request of the administrator client. */
const asAdmin = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(adminToken(), (token) => Testing.send(withId(request.pipe(withToken(token)))))

const create = (body: unknown) => asAdmin(json("POST", "/api/admin/users", JSON.stringify(body)))

layer(service(), { excludeTestServices: true })(
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

        const read = yield* asAdmin(HttpClientRequest.get(`/api/admin/users/${user.id}`))
        assert.deepStrictEqual(JSON.parse(read.body), user)

        const listed = yield* asAdmin(HttpClientRequest.get("/api/admin/users?limit=10"))
        assert.deepStrictEqual(JSON.parse(listed.body).users.map((u: { id: string }) => u.id).includes(user.id), true)

        const updated = yield* asAdmin(json("PATCH", `/api/admin/users/${user.id}`, JSON.stringify({ name: "Ann B." })))
        assert.strictEqual(updated.status, 200)
        assert.strictEqual(JSON.parse(updated.body).name, "Ann B.")

        const deleted = yield* asAdmin(HttpClientRequest.del(`/api/admin/users/${user.id}`))
        assert.strictEqual(deleted.status, 204)
        const gone = yield* asAdmin(HttpClientRequest.get(`/api/admin/users/${user.id}`))
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
          const answer = yield* asAdmin(request)
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
          `{"error":"invalid_email","error_description":"email must be a valid email address","details":{"email":"email must be a valid email address"},"request_id":"${requestId}"}`
        )
      }))

    it.effect("answers a weak password with 422 invalid_password, without echoing it", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: "dee@example.com", name: "Dee", password: "short" })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"invalid_password","error_description":"password must be at least 8 characters long and contain a letter and a digit","details":{"password":"password must be at least 8 characters long and contain a letter and a digit"},"request_id":"${requestId}"}`
        )
      }))

    it.effect("answers missing and mistyped fields with 422 validation_error, one entry per field", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: 42, password: "x".repeat(300) })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"validation_error","error_description":"3 fields are invalid: email, name, password","details":{"email":"email must be a string","name":"name is required","password":"password must be at most 256 characters"},"request_id":"${requestId}"}`
        )
        assert.notInclude(answer.body, "xxxxxxxx")
      }))

    it.effect("answers a bad email and a missing name in one 422 listing both, as seed 004's example", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: "not-an-email", password: "s3cretpass" })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"validation_error","error_description":"2 fields are invalid: email, name","details":{"email":"email must be a valid email address","name":"name is required"},"request_id":"${requestId}"}`
        )
      }))

    it.effect("refuses a member the schema does not declare, so that no field is smuggled into the handler", () =>
      Effect.gen(function*() {
        const answer = yield* create({ email: "eve@example.com", name: "Eve", password: "s3cretpass", admin: true })
        assert.strictEqual(answer.status, 422)
        assert.strictEqual(
          answer.body,
          `{"error":"validation_error","error_description":"1 field is invalid: admin","details":{"admin":"admin is not allowed"},"request_id":"${requestId}"}`
        )
      }))
  }
)

layer(service({ errata: { format: WireFormat.ProblemDetails } }), { excludeTestServices: true })("identity-admin in problem-details", (it) => {
  it.effect("answers the same error as RFC 9457", () =>
    Effect.gen(function*() {
      const answer = yield* asAdmin(HttpClientRequest.get("/api/admin/users/usr_nobody"))
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

/** An administrator token issued by a service on `database`, which has stopped since. */
const tokenOn = (database: Database.Options) => adminToken().pipe(Effect.provide(service({ database })))

/** A create with a token, by a service with these options. */
const createWith = (token: string, options: Parameters<typeof service>[0], logs: Array<Testing.LogEntry> = []) =>
  Testing.send(
    withId(json("POST", "/api/admin/users", JSON.stringify({ email: "eve@example.com", name: "Eve", password: "s3cretpass" })))
      .pipe(withToken(token))
  ).pipe(Effect.provide(service(options, logs)))

describe("identity-admin: listing users", () => {
  it.live("sorts by a column, text in code-point order on either database, ascending or descending", () =>
    Effect.gen(function*() {
      const token = yield* adminToken()
      for (const name of ["bob", "Ann", "carl", "Ángel"]) {
        const body = JSON.stringify({ email: `${name.toLowerCase()}.x@example.com`, name, password: "s3cretpass" })
        assert.strictEqual((yield* Testing.send(json("POST", "/api/admin/users", body).pipe(withToken(token)))).status, 201)
      }
      const names = (sort: string) =>
        Effect.map(
          Testing.send(HttpClientRequest.get(`/api/admin/users?sort=${sort}`).pipe(withToken(token))),
          (answer) => (JSON.parse(answer.body).users as Array<{ name: string }>).map((user) => user.name)
        )
      assert.deepStrictEqual(yield* names("name"), ["Ann", "bob", "carl", "Ángel"])
      assert.deepStrictEqual(yield* names("-name"), ["Ángel", "carl", "bob", "Ann"])
      assert.deepStrictEqual(yield* names("created_at"), ["bob", "Ann", "carl", "Ángel"])
    }).pipe(Effect.provide(service())))
})

describe("identity-admin: database failures answer without leaking SQL", () => {
  // Read-only is a way to open a SQLite file; on PostgreSQL, a lock's wait (below) breaks writes alike.
  it.live.skipIf(kind !== "sqlite")("a read-only database: 500 database_error", () =>
    Effect.gen(function*() {
      const filename = tempDatabase()
      const token = yield* tokenOn({ filename })
      const logs: Array<Testing.LogEntry> = []
      const answer = yield* createWith(token, { database: { filename, readonly: true } }, logs)
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(answer.body, databaseError)
      assertNoLeak(answer.body)
      assert.isTrue(logs.some((entry) => entry.message === "database failure" && entry.cause.includes("SqlError")))
    }))

  it.scopedLive("a database locked by another connection: 500 database_error", () =>
    Effect.gen(function*() {
      const database = yield* fresh({ lockWaitMs: 50 })
      const token = yield* tokenOn(database.options)
      yield* holdingWriteLock(database)
      const answer = yield* createWith(token, { database: database.options })
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(answer.body, databaseError)
      assertNoLeak(answer.body)
    }))

  it.live("a database that cannot be used: the token endpoint says server_error (OAuth's word), credentials 503", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      const [issued, used] = yield* Effect.all([
        tokenRequest({ grant_type: "client_credentials", client_id: admin.clientId, client_secret: admin.clientSecret }),
        Testing.send(withId(json("POST", "/api/admin/users", "{}").pipe(withToken("at_anything"))))
      ]).pipe(Effect.provide(service({ database: unreachable() }, logs)))
      assert.strictEqual(issued.status, 500)
      assert.deepStrictEqual(JSON.parse(issued.body), {
        error: "server_error",
        error_description: "The authorization server could not complete the request; try again later"
      })
      assert.strictEqual(used.status, 503)
      assert.deepStrictEqual(JSON.parse(used.body), {
        error: "service_unavailable",
        error_description: "The credentials could not be checked; try again",
        retry_after: 1,
        request_id: requestId
      })
      for (const answer of [issued, used]) assertNoLeak(answer.body)
      assert.isTrue(logs.some((entry) => entry.message === "database unavailable; answering database_error"))
      assert.isTrue(logs.some((entry) => entry.message === "bootstrap admin client waits for the database"))
    }))
})

describe("DATABASE_URL", () => {
  it("defaults to the embedded SQLite file, and takes file:PATH", () => {
    assert.strictEqual(Database.filenameFromUrl(undefined), "./data/errata.db")
    assert.strictEqual(Database.filenameFromUrl("file:/var/lib/errata/app.db"), "/var/lib/errata/app.db")
    assert.strictEqual(Database.filenameFromUrl("file:relative/app.db"), "relative/app.db")
    assert.throws(() => Database.filenameFromUrl("postgres://localhost/errata"), /file:PATH/)
  })

  it("takes postgres:// and postgresql:// for PostgreSQL, and keeps the URL a secret", () => {
    for (const url of ["postgres://app:pw@db:5432/errata", "postgresql://app:pw@db/errata"]) {
      const options = Database.fromUrl(Redacted.make(url))
      assert.isTrue(Database.isPostgres(options))
      assert.notInclude(JSON.stringify(options), "pw")
    }
    assert.deepStrictEqual(Database.fromUrl(Redacted.make("file:app.db")), { filename: "app.db" })
    assert.deepStrictEqual(Database.fromUrl(undefined), { filename: "./data/errata.db" })
  })

  it.effect("reads the pool's bounds and the schema for PostgreSQL, and refuses another scheme", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) =>
        Effect.either(Effect.withConfigProvider(Database.config, ConfigProvider.fromMap(new Map(Object.entries(env)))))
      const postgres = yield* read({
        DATABASE_URL: "postgres://app:pw@db/errata",
        DATABASE_SCHEMA: "identity",
        DATABASE_STATEMENT_TIMEOUT: "3 seconds"
      })
      assert.isTrue(Either.isRight(postgres))
      const options = Either.getOrThrow(postgres) as Database.PostgresOptions
      assert.strictEqual(Redacted.value(options.url), "postgres://app:pw@db/errata")
      assert.strictEqual(options.schema, "identity")
      assert.deepStrictEqual(options.statementTimeout, Duration.seconds(3))
      assert.deepStrictEqual(options.connectTimeout, Duration.seconds(5))
      assert.deepStrictEqual(Either.getOrThrow(yield* read({})), { filename: "./data/errata.db" })
      // How long a statement waits for another connection's lock, on either database.
      assert.deepStrictEqual(
        Either.getOrThrow(yield* read({ DATABASE_URL: "file:app.db", DATABASE_LOCK_TIMEOUT: "2 seconds" })),
        { filename: "app.db", busyTimeoutMs: 2000 }
      )
      const locking = Either.getOrThrow(yield* read({ DATABASE_URL: "postgres://db/e", DATABASE_LOCK_TIMEOUT: "2 seconds" }))
      assert.deepStrictEqual((locking as Database.PostgresOptions).lockTimeout, Duration.seconds(2))
      const refusals = [
        { DATABASE_URL: "mysql://db/errata" },
        { DATABASE_URL: "postgres://db/e", DATABASE_SCHEMA: "A b" }
      ]
      for (const env of refusals) {
        const refused = yield* read(env)
        assert.isTrue(Either.isLeft(refused))
        assert.notInclude(String(Either.isLeft(refused) ? refused.left : ""), "db/e")
      }
    }))
})
