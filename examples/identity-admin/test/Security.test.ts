/**
 * The reference service's security over real HTTP: token lifetimes and refresh rotation under the test clock,
 * revocation across instances, the lockout rule, sessions and CSRF, the provisioning webhook, and what never reaches
 * a log line or a debug body.
 */
import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Webhooks } from "@errata/client"
import { Testing } from "@errata/server"
import { Effect, Layer, Redacted, TestClock } from "effect"
import { fresh } from "./fixtures/Database.js"
import { json } from "./fixtures/Http.js"
import {
  admin,
  adminToken,
  createUser,
  login,
  service,
  tokenRequest,
  tokens,
  userTokens,
  webhookSecret,
  withToken
} from "./fixtures/Service.js"

const errorOf = (answer: Testing.Answer) => JSON.parse(answer.body).error as string
const me = (token: string) => Testing.send(HttpClientRequest.get("/api/session").pipe(withToken(token)))
const refresh = (refreshToken: string, clientId: string = admin.clientId, clientSecret: string = admin.clientSecret) =>
  tokenRequest({ grant_type: "refresh_token", client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken })
const revoke = (token: string) =>
  Testing.send(
    HttpClientRequest.post("/oauth/revoke").pipe(
      HttpClientRequest.bodyUrlParams({ token, client_id: admin.clientId, client_secret: admin.clientSecret })
    )
  )

describe("Tokens", () => {
  it.effect("live one hour by the clock; a refresh token gives new ones and is used up; its reuse revokes the family", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "rae@example.com", password: "s3cretpass" })
      const first = yield* userTokens("rae@example.com", "s3cretpass")
      assert.match(first.access_token, /^at_/)
      assert.match(first.refresh_token ?? "", /^rt_/)
      yield* TestClock.adjust("59 minutes")
      assert.strictEqual((yield* me(first.access_token)).status, 200)
      yield* TestClock.adjust("1 minutes")
      assert.strictEqual(errorOf(yield* me(first.access_token)), "token_expired")

      const rotated = JSON.parse((yield* refresh(first.refresh_token!)).body)
      assert.strictEqual((yield* me(rotated.access_token)).status, 200)
      assert.notStrictEqual(rotated.refresh_token, first.refresh_token)
      // Presented again, the used refresh token is taken as stolen: every token of the grant is revoked.
      const reused = yield* refresh(first.refresh_token!)
      assert.strictEqual(reused.status, 401)
      assert.strictEqual(errorOf(reused), "token_revoked")
      assert.strictEqual(errorOf(yield* me(rotated.access_token)), "token_revoked")
      assert.strictEqual(errorOf(yield* refresh(rotated.refresh_token)), "token_revoked")
    }).pipe(Effect.provide(service())))

  it.effect("let one of two concurrent refreshes with the same token win; the other is a reuse, which revokes both", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "ivy@example.com", password: "s3cretpass" })
      const issued = yield* userTokens("ivy@example.com", "s3cretpass")
      const answers = yield* Effect.all([refresh(issued.refresh_token!), refresh(issued.refresh_token!)], { concurrency: 2 })
      const won = answers.filter((answer) => answer.status === 200)
      assert.strictEqual(won.length, 1)
      assert.deepStrictEqual(answers.filter((answer) => answer.status !== 200).map(errorOf), ["token_revoked"])
      assert.strictEqual(errorOf(yield* me(JSON.parse(won[0]!.body).access_token)), "token_revoked")
    }).pipe(Effect.provide(service())))

  it.effect("take the client's credentials in Authorization: Basic as well as in the form (RFC 6749 §2.3.1)", () =>
    Effect.gen(function*() {
      const basic = (id: string, secret: string) =>
        Testing.send(
          HttpClientRequest.post("/oauth/token").pipe(
            HttpClientRequest.basicAuth(encodeURIComponent(id), encodeURIComponent(secret)),
            HttpClientRequest.bodyUrlParams({ grant_type: "client_credentials" })
          )
        )
      const issued = yield* basic(admin.clientId, admin.clientSecret)
      assert.strictEqual(issued.status, 200)
      assert.strictEqual((yield* me(JSON.parse(issued.body).access_token)).status, 200)
      assert.strictEqual(errorOf(yield* basic(admin.clientId, "wrong-secret")), "unauthorized_client")
      assert.strictEqual(
        errorOf(yield* Testing.send(HttpClientRequest.post("/oauth/token").pipe(HttpClientRequest.bodyUrlParams({ grant_type: "client_credentials" })))),
        "unauthorized_client"
      )
    }).pipe(Effect.provide(service())))

  it.effect("bind a refresh token to its client, and give a client's own grant no refresh token (RFC 6749 §4.4.3)", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "sam@example.com", password: "s3cretpass" })
      const issued = yield* userTokens("sam@example.com", "s3cretpass")
      const token = yield* adminToken()
      const other = yield* Testing.send(
        HttpClientRequest.post("/api/admin/clients").pipe(withToken(token), HttpClientRequest.bodyUnsafeJson({ client_id: "other", name: "Other" }))
      )
      const { client_secret } = JSON.parse(other.body)
      assert.strictEqual(errorOf(yield* refresh(issued.refresh_token!, "other", client_secret)), "invalid_token")
      const own = yield* tokens({ grant_type: "client_credentials", client_id: "other", client_secret })
      assert.isUndefined(own.refresh_token)
    }).pipe(Effect.provide(service())))

  it.effect("carry the scopes asked for, among the client's", () =>
    Effect.gen(function*() {
      const narrow = yield* tokens({
        grant_type: "client_credentials",
        client_id: admin.clientId,
        client_secret: admin.clientSecret,
        scope: "users:read nonsense"
      })
      assert.strictEqual(narrow.scope, "users:read")
      const created = yield* Testing.send(json("POST", "/api/admin/users", "{}").pipe(withToken(narrow.access_token)))
      assert.strictEqual(created.status, 403)
      assert.deepInclude(JSON.parse(created.body), { error: "insufficient_scope", required_scope: "users:write" })
      assert.include(created.headers["www-authenticate"]!, "scope=\"users:write\"")
    }).pipe(Effect.provide(service())))

  it.scopedLive("are revoked at once on every instance that shares the database", () =>
    Effect.gen(function*() {
      const database = (yield* fresh()).options
      const a = yield* Layer.build(service({ database }))
      const b = yield* Layer.build(service({ database }))
      const token = yield* adminToken().pipe(Effect.provide(a))
      assert.strictEqual((yield* me(token).pipe(Effect.provide(b))).status, 200)
      assert.strictEqual((yield* revoke(token).pipe(Effect.provide(a))).status, 200)
      assert.strictEqual(errorOf(yield* me(token).pipe(Effect.provide(b))), "token_revoked")

      // A user suspended through one instance is refused by the other at its next request.
      const user = yield* createUser({ email: "kim@example.com", password: "s3cretpass" }).pipe(Effect.provide(a))
      const kim = (yield* userTokens("kim@example.com", "s3cretpass").pipe(Effect.provide(b))).access_token
      assert.strictEqual((yield* me(kim).pipe(Effect.provide(b))).status, 200)
      const suspend = HttpClientRequest.put(`/api/admin/users/${user.id}/status`).pipe(
        withToken(yield* adminToken().pipe(Effect.provide(a))),
        HttpClientRequest.bodyUnsafeJson({ status: "suspended" })
      )
      assert.strictEqual((yield* Testing.send(suspend).pipe(Effect.provide(a))).status, 200)
      assert.strictEqual(errorOf(yield* me(kim).pipe(Effect.provide(b))), "user_suspended")
    }))

  it.scopedLive("are stored hashed: the database holds no usable token or secret", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const { issued, repeated, session } = yield* Effect.gen(function*() {
        yield* createUser({ email: "hal@example.com", password: "s3cretpass" })
        const session = yield* login("hal@example.com", "s3cretpass")
        // With an Idempotency-Key, as the client sends on every POST: the token endpoint ignores it, and keeps nothing.
        const keyed = HttpClientRequest.post("/oauth/token").pipe(
          HttpClientRequest.setHeader("idempotency-key", "same-key"),
          HttpClientRequest.bodyUrlParams({
            grant_type: "password",
            client_id: admin.clientId,
            client_secret: admin.clientSecret,
            username: "hal@example.com",
            password: "s3cretpass"
          })
        )
        const [first, second] = [yield* Testing.send(keyed), yield* Testing.send(keyed)]
        assert.isUndefined(second.headers["idempotent-replayed"])
        // A create with a key is kept for its repeats: its answer, which holds no password.
        const created = yield* Testing.send(
          json("POST", "/api/admin/users", JSON.stringify({ email: "hal2@example.com", name: "Hal", password: "s3cretpass2" })).pipe(
            withToken(yield* adminToken()),
            HttpClientRequest.setHeader("idempotency-key", "create-hal2")
          )
        )
        assert.strictEqual(created.status, 201)
        return { issued: JSON.parse(first.body), repeated: JSON.parse(second.body), session }
      }).pipe(Effect.provide(service({ database: database.options })))
      assert.notStrictEqual(repeated.access_token, issued.access_token)
      const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) =>
        Effect.all([
          sql`SELECT * FROM tokens`,
          sql`SELECT * FROM clients`,
          sql`SELECT * FROM sessions`,
          sql`SELECT * FROM users`,
          sql`SELECT * FROM errata_idempotency_keys`
        ])).pipe(Effect.provide(database.client))
      assert.strictEqual(rows[4].length, 1)
      assert.isAbove(rows[0].length, 0)
      const dump = JSON.stringify(rows)
      const sessionId = session.cookie.split("=")[1]!
      for (
        const secret of [
          issued.access_token,
          issued.refresh_token,
          repeated.access_token,
          admin.clientSecret,
          "s3cretpass",
          "s3cretpass2",
          sessionId,
          session.csrfToken
        ]
      ) {
        assert.notInclude(dump, secret)
      }
    }))
})

describe("Lockout", () => {
  const attempt = (password: string) =>
    Effect.map(
      tokenRequest({
        grant_type: "password",
        client_id: admin.clientId,
        client_secret: admin.clientSecret,
        username: "lou@example.com",
        password
      }),
      errorOf
    )

  it.effect("locks an account after 5 failed logins within 15 minutes, for 15 minutes; a success starts the count again", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "lou@example.com", password: "s3cretpass" })
      for (let i = 0; i < 4; i++) assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.isUndefined(yield* attempt("s3cretpass"))
      // The success cleared the four failures: four more do not lock.
      for (let i = 0; i < 4; i++) assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.isUndefined(yield* attempt("s3cretpass"))
      // Failures older than the window do not count.
      for (let i = 0; i < 4; i++) assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      yield* TestClock.adjust("16 minutes")
      assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.isUndefined(yield* attempt("s3cretpass"))

      for (let i = 0; i < 5; i++) assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.strictEqual(yield* attempt("s3cretpass"), "user_locked")
      const session = yield* Testing.send(
        HttpClientRequest.post("/api/session").pipe(HttpClientRequest.bodyUnsafeJson({ email: "lou@example.com", password: "s3cretpass" }))
      )
      assert.strictEqual(errorOf(session), "user_locked")
      yield* TestClock.adjust("14 minutes")
      assert.strictEqual(yield* attempt("s3cretpass"), "user_locked")
      yield* TestClock.adjust("1 minutes")
      assert.isUndefined(yield* attempt("s3cretpass"))
      // The lock over, the count starts from zero.
      for (let i = 0; i < 4; i++) assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.isUndefined(yield* attempt("s3cretpass"))
    }).pipe(Effect.provide(service())), { timeout: 60_000 })

  it.effect("counts concurrent guesses one by one: of twenty at once, five are checked, and the account locks", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "lou@example.com", password: "s3cretpass" })
      const answers = yield* Effect.all(Array.from({ length: 20 }, () => attempt("wrong-pass1")), { concurrency: "unbounded" })
      assert.strictEqual(answers.filter((code) => code === "invalid_credentials").length, 5)
      assert.strictEqual(answers.filter((code) => code === "user_locked").length, 15)
      assert.strictEqual(yield* attempt("s3cretpass"), "user_locked")
    }).pipe(Effect.provide(service())))

  it.effect("answers an unknown email like a wrong password, and tells an account's state only to its owner", () =>
    Effect.gen(function*() {
      const user = yield* createUser({ email: "lou@example.com", password: "s3cretpass" })
      assert.strictEqual(
        errorOf(yield* tokenRequest({
          grant_type: "password",
          client_id: admin.clientId,
          client_secret: admin.clientSecret,
          username: "nobody@example.com",
          password: "s3cretpass"
        })),
        "invalid_credentials"
      )
      yield* Testing.send(
        HttpClientRequest.put(`/api/admin/users/${user.id}/status`).pipe(
          withToken(yield* adminToken()),
          HttpClientRequest.bodyUnsafeJson({ status: "suspended" })
        )
      )
      assert.strictEqual(yield* attempt("wrong-pass1"), "invalid_credentials")
      assert.strictEqual(yield* attempt("s3cretpass"), "user_suspended")
    }).pipe(Effect.provide(service())))
})

describe("Sessions and CSRF", () => {
  it.effect("set an HttpOnly, SameSite=Lax cookie, Secure when configured, and require the CSRF token on each unsafe method", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "ada@example.com", password: "s3cretpass", role: "admin" })
      const target = yield* createUser({ email: "bea@example.com", password: "s3cretpass" })
      const session = yield* login("ada@example.com", "s3cretpass")
      assert.match(session.setCookie, /^errata_session=ses_[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/)
      const inSession = (request: HttpClientRequest.HttpClientRequest) =>
        request.pipe(HttpClientRequest.setHeader("cookie", session.cookie))
      const withCsrf = (request: HttpClientRequest.HttpClientRequest) =>
        inSession(request).pipe(HttpClientRequest.setHeader("x-csrf-token", session.csrfToken))
      const unsafe = [
        json("POST", "/api/admin/users", JSON.stringify({ email: "cal@example.com", name: "Cal", password: "s3cretpass" })),
        json("PATCH", `/api/admin/users/${target.id}`, JSON.stringify({ name: "Bea B." })),
        json("PUT", `/api/admin/users/${target.id}/status`, JSON.stringify({ status: "suspended" })),
        HttpClientRequest.del(`/api/admin/users/${target.id}`)
      ]
      assert.strictEqual((yield* Testing.send(inSession(HttpClientRequest.get("/api/admin/users")))).status, 200)
      for (const request of unsafe) {
        const refused = yield* Testing.send(inSession(request))
        assert.strictEqual(refused.status, 403, request.method)
        assert.strictEqual(errorOf(refused), "csrf_validation_failed")
        const wrong = yield* Testing.send(inSession(request).pipe(HttpClientRequest.setHeader("x-csrf-token", "csrf_forged")))
        assert.strictEqual(errorOf(wrong), "csrf_validation_failed")
        const done = yield* Testing.send(withCsrf(request))
        assert.isBelow(done.status, 300, `${request.method} ${request.url}: ${done.body}`)
      }
      // Signing out needs the token too, ends the session and clears the cookie.
      assert.strictEqual(errorOf(yield* Testing.send(inSession(HttpClientRequest.del("/api/session")))), "csrf_validation_failed")
      const out = yield* Testing.send(withCsrf(HttpClientRequest.del("/api/session")))
      assert.strictEqual(out.status, 204)
      assert.match(out.headers["set-cookie"] ?? "", /^errata_session=; Max-Age=0;/)
      assert.strictEqual(errorOf(yield* Testing.send(inSession(HttpClientRequest.get("/api/session")))), "session_expired")
    }).pipe(Effect.provide(service())))

  it.effect("mark the cookie Secure when the service is configured so (TLS ended by a proxy)", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "ada@example.com", password: "s3cretpass" })
      const session = yield* login("ada@example.com", "s3cretpass")
      assert.match(session.setCookie, /; Secure/)
    }).pipe(Effect.provide(service({ security: { secureCookies: true } }))))

  it.effect("end after 30 idle minutes, or 12 hours after sign-in however active", () =>
    Effect.gen(function*() {
      yield* createUser({ email: "ada@example.com", password: "s3cretpass" })
      const busy = yield* login("ada@example.com", "s3cretpass")
      const idle = yield* login("ada@example.com", "s3cretpass")
      const current = (cookie: string) =>
        Effect.map(Testing.send(HttpClientRequest.get("/api/session").pipe(HttpClientRequest.setHeader("cookie", cookie))), (answer) =>
          answer.status === 200 ? "ok" : errorOf(answer))
      yield* TestClock.adjust("29 minutes")
      assert.strictEqual(yield* current(busy.cookie), "ok")
      yield* TestClock.adjust("2 minutes")
      assert.strictEqual(yield* current(idle.cookie), "session_expired")
      assert.strictEqual(yield* current(busy.cookie), "ok")
      // Used every 29 minutes, the session lives until 12 hours after sign-in, and not a minute more.
      for (let minutes = 31 + 29; minutes < 780; minutes += 29) {
        yield* TestClock.adjust("29 minutes")
        assert.strictEqual(yield* current(busy.cookie), minutes < 720 ? "ok" : "session_expired", `${minutes} minutes in`)
      }
    }).pipe(Effect.provide(service())))
})

describe("The provisioning webhook", () => {
  const deliver = (event: unknown, secret: string, at?: number) =>
    Effect.gen(function*() {
      const request = yield* Webhooks.sign(json("POST", "/api/webhooks/provisioning", JSON.stringify(event)), Redacted.make(secret), at)
      return yield* Testing.send(request)
    })

  it.effect("creates, suspends, disables and reactivates users, signed by the HR system", () =>
    Effect.gen(function*() {
      const created = yield* deliver({ type: "user.created", data: { email: "hr1@example.com", name: "From HR" } }, webhookSecret)
      assert.strictEqual(created.status, 200)
      const user = JSON.parse(created.body)
      assert.deepInclude(user, { email: "hr1@example.com", status: "active", role: "member" })
      for (const [type, status] of [["user.suspended", "suspended"], ["user.disabled", "disabled"], ["user.reactivated", "active"]]) {
        const changed = yield* deliver({ type, data: { email: "hr1@example.com" } }, webhookSecret)
        assert.strictEqual(JSON.parse(changed.body).status, status, type)
      }
      // A provisioned user has no password anyone knows: nobody can sign in as them until one is set.
      for (const guess of ["", "s3cretpass", "scrypt"]) {
        const answer = yield* tokenRequest({
          grant_type: "password",
          client_id: admin.clientId,
          client_secret: admin.clientSecret,
          username: "hr1@example.com",
          password: guess
        })
        assert.strictEqual(errorOf(answer), "invalid_credentials")
      }
      const unknown = yield* deliver({ type: "user.suspended", data: { email: "nobody@example.com" } }, webhookSecret)
      assert.strictEqual(errorOf(unknown), "user_not_found")
    }).pipe(Effect.provide(service())))

  it.effect("refuses a wrong secret, a stale timestamp and a changed body; takes the old secret while it rotates", () =>
    Effect.gen(function*() {
      const event = { type: "user.created", data: { email: "hr2@example.com", name: "From HR" } }
      const nowSeconds = 1_000_000
      yield* TestClock.setTime(nowSeconds * 1000)
      assert.strictEqual(errorOf(yield* deliver(event, "whsec_wrong")), "invalid_signature")
      assert.strictEqual(errorOf(yield* deliver(event, "whsec_new", nowSeconds - 301)), "invalid_signature")
      const signed = yield* Webhooks.sign(json("POST", "/api/webhooks/provisioning", JSON.stringify(event)), Redacted.make("whsec_new"))
      const tampered = json("POST", "/api/webhooks/provisioning", JSON.stringify({ ...event, data: { ...event.data, email: "evil@example.com" } }))
        .pipe(HttpClientRequest.setHeader("webhook-signature", signed.headers["webhook-signature"]!))
      assert.strictEqual(errorOf(yield* Testing.send(tampered)), "invalid_signature")
      assert.strictEqual((yield* deliver(event, "whsec_old")).status, 200)
      assert.strictEqual((yield* deliver({ ...event, data: { ...event.data, email: "hr3@example.com" } }, "whsec_new")).status, 200)
    }).pipe(Effect.provide(service({ webhookSecrets: [Redacted.make("whsec_new"), Redacted.make("whsec_old")] }))))
})

describe("Secrets", () => {
  it.effect("never reach a log line or a debug body: tokens, passwords, client secrets, session ids, CSRF tokens", () => {
    const logs: Array<Testing.LogEntry> = []
    return Effect.gen(function*() {
      const debug = (request: HttpClientRequest.HttpClientRequest) =>
        Testing.send(request.pipe(HttpClientRequest.setHeader("x-debug", "true")))
      const answers: Array<Testing.Answer> = []
      const send = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.tap(debug(request), (answer) => void answers.push(answer))
      const form = (fields: Record<string, string>) =>
        send(HttpClientRequest.post("/oauth/token").pipe(HttpClientRequest.bodyUrlParams(fields)))
      const client = { client_id: admin.clientId, client_secret: admin.clientSecret }

      const adminAccess = JSON.parse((yield* form({ grant_type: "client_credentials", ...client })).body).access_token
      const asAdmin = (request: HttpClientRequest.HttpClientRequest) => send(request.pipe(withToken(adminAccess)))
      yield* asAdmin(json("POST", "/api/admin/users", JSON.stringify({ email: "zed@example.com", name: "Zed", password: "zed-pass-1234" })))
      const refused = yield* asAdmin(
        json("POST", "/api/admin/users", JSON.stringify({ email: "not-an-email", name: "Q", password: "q-pass-1234" }))
      )
      assert.strictEqual(refused.status, 422)
      assert.strictEqual(JSON.parse(refused.body).debug.request_body.password, "[REDACTED]")
      yield* form({ grant_type: "password", ...client, username: "zed@example.com", password: "wrong-pass-987" })
      const issued = JSON.parse((yield* form({ grant_type: "password", ...client, username: "zed@example.com", password: "zed-pass-1234" })).body)
      const malformed = yield* form({ grant_type: "password", ...client, password: "lost-pass-555" })
      assert.strictEqual(malformed.status, 400)
      assert.deepInclude(JSON.parse(malformed.body).debug.request_body, { password: "[REDACTED]", client_secret: "[REDACTED]" })
      yield* form({ grant_type: "refresh_token", ...client, refresh_token: "rt_forged_refresh_token" })
      yield* send(HttpClientRequest.get("/api/admin/users").pipe(withToken("at_forged_access_token")))
      yield* send(HttpClientRequest.get("/api/admin/users").pipe(withToken(issued.access_token)))
      const session = yield* login("zed@example.com", "zed-pass-1234")
      const csrf = yield* send(HttpClientRequest.del("/api/session").pipe(HttpClientRequest.setHeader("cookie", session.cookie)))
      assert.strictEqual(JSON.parse(csrf.body).debug.request_headers.cookie, "[REDACTED]")
      yield* send(
        HttpClientRequest.get("/api/session").pipe(
          HttpClientRequest.setHeader("cookie", session.cookie),
          HttpClientRequest.setHeader("x-csrf-token", session.csrfToken),
          HttpClientRequest.setHeader("authorization", `Basic ${Buffer.from(`zed:${"zed-pass-1234"}`).toString("base64")}`)
        )
      )
      yield* send(
        (yield* Webhooks.sign(json("POST", "/api/webhooks/provisioning", "{\"type\":\"user.created\"}"), Redacted.make("whsec_guess")))
      )

      const secrets = [
        admin.clientSecret,
        webhookSecret,
        "zed-pass-1234",
        "q-pass-1234",
        "wrong-pass-987",
        "lost-pass-555",
        "rt_forged_refresh_token",
        "at_forged_access_token",
        adminAccess,
        issued.access_token,
        issued.refresh_token,
        session.cookie.split("=")[1]!,
        session.csrfToken,
        Buffer.from("zed:zed-pass-1234").toString("base64")
      ]
      const logged = logs.map((entry) => JSON.stringify(entry))
      assert.isAbove(logged.length, 8)
      const debugBodies = answers.filter((answer) => answer.status >= 400).map((answer) => answer.body)
      assert.isAbove(debugBodies.length, 8)
      for (const body of debugBodies) assert.property(JSON.parse(body), "debug")
      for (const secret of secrets) {
        for (const line of logged) assert.notInclude(line, secret)
        for (const body of debugBodies) assert.notInclude(body, secret)
      }
    }).pipe(Effect.provide(service({ errata: { debug: true } }, logs)))
  })
})
