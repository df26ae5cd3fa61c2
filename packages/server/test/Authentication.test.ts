import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import type { CatalogError } from "@errata/domain"
import { BuiltinFormats, WireFormat } from "@errata/domain"
import {
  AccessDenied,
  AccountDisabled,
  ClientDisabled,
  CsrfValidationFailed,
  Forbidden,
  InsufficientScope,
  InvalidToken,
  ServiceUnavailable,
  SessionExpired,
  TokenExpired,
  TokenRevoked,
  Unauthorized,
  UserLocked,
  UserSuspended
} from "@errata/domain/Errors"
import { HttpApiBuilder } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Authentication, Testing, Webhooks } from "@errata/server"
import { Effect, Layer, Option, Redacted, TestClock } from "effect"
import { bearer, Directory, hookHandlers, order, SecureApi, secureHandlers, secureServer } from "./fixtures/SecureServer.js"

/** A check that an answer is `expected`'s class in `format`, with the RFC 6750 challenge of its status. */
const assertRefused = (
  format: WireFormat.Any,
  answer: Testing.Answer,
  expected: new(...args: ReadonlyArray<any>) => CatalogError.CatalogError,
  challenge: string
) => {
  const decoded = format.decode(answer)
  assert.instanceOf(decoded, expected, answer.body)
  assert.strictEqual(answer.headers["www-authenticate"], challenge)
  assert.match(answer.headers["x-request-id"] ?? "", /^req_/)
}

const invalid = (description: string) =>
  `Bearer realm="secure", error="invalid_token", error_description="${description}"`
/** RFC 6750 defines no error code for a refusal other than a missing scope: only its description is given. */
const refused = (description: string) => `Bearer realm="secure", error_description="${description}"`
const missingScope = (description: string, scope: string) =>
  `Bearer realm="secure", error="insufficient_scope", error_description="${description}", scope="${scope}"`

describe("Authentication: bearer tokens (RFC 6750)", () => {
  for (const format of BuiltinFormats.all) {
    it.effect(`answers each failure of the credentials with its own error and the challenge, in ${format.name}`, () => {
      const directory = new Directory()
      return Effect.gen(function*() {
        yield* directory.addToken("good", { subject: "usr_1" })
        yield* directory.addToken("expired", { ttl: 0 })
        yield* directory.addToken("revoked", { revoked: true })
        yield* directory.addToken("suspended", { state: "suspended" })
        yield* directory.addToken("locked", { state: "locked" })
        yield* directory.addToken("disabled", { state: "disabled" })
        yield* directory.addToken("client-off", { kind: "client", clientDisabled: true })
        yield* directory.addToken("read-only", { scopes: ["orders:read"] })
        const send = (request: HttpClientRequest.HttpClientRequest) => Testing.send(request)
        const me = HttpClientRequest.get("/me")

        const ok = yield* send(me.pipe(bearer("good")))
        assert.strictEqual(ok.status, 200)
        assert.strictEqual(JSON.parse(ok.body).subject, "usr_1")

        assertRefused(format, yield* send(me), Unauthorized, "Bearer realm=\"secure\"")
        // Another scheme is no bearer token at all (RFC 6750 §3.1: no error code).
        assertRefused(
          format,
          yield* send(me.pipe(HttpClientRequest.setHeader("authorization", "Basic dXNlcjpwYXNz"))),
          Unauthorized,
          "Bearer realm=\"secure\""
        )
        assertRefused(
          format,
          yield* send(me.pipe(HttpClientRequest.setHeader("authorization", "Bearer not a token"))),
          InvalidToken,
          invalid("The bearer token is malformed")
        )
        assertRefused(format, yield* send(me.pipe(bearer("unknown"))), InvalidToken, invalid("The token is not valid"))
        assertRefused(format, yield* send(me.pipe(bearer("expired"))), TokenExpired, invalid("The token has expired"))
        assertRefused(format, yield* send(me.pipe(bearer("revoked"))), TokenRevoked, invalid("The token has been revoked"))
        assertRefused(format, yield* send(me.pipe(bearer("suspended"))), UserSuspended, refused("The account is suspended"))
        assertRefused(format, yield* send(me.pipe(bearer("locked"))), UserLocked, refused("The account is locked"))
        assertRefused(format, yield* send(me.pipe(bearer("disabled"))), AccountDisabled, refused("The account is disabled"))
        assertRefused(format, yield* send(me.pipe(bearer("client-off"))), ClientDisabled, refused("The client is disabled"))

        const scope = yield* send(order("tea").pipe(bearer("read-only")))
        assertRefused(format, scope, InsufficientScope, missingScope("This request requires the scope orders:write", "orders:write"))
        assert.strictEqual((format.decode(scope) as InsufficientScope).requiredScope, "orders:write")

        const admin = yield* send(HttpClientRequest.post("/admin").pipe(bearer("good")))
        assertRefused(format, admin, Forbidden, refused("You do not have permission to perform this action"))
        const document = yield* send(HttpClientRequest.get("/documents/usr_2").pipe(bearer("good")))
        assertRefused(format, document, AccessDenied, refused("Access denied for this resource"))
        assert.strictEqual((yield* send(HttpClientRequest.get("/documents/usr_1").pipe(bearer("good")))).status, 200)
      }).pipe(Effect.provide(secureServer(directory, { config: { format } })))
    })
  }

  it.effect("checks the principal's state on every request, not once: a token stops working when its user is suspended", () => {
    const directory = new Directory()
    return Effect.gen(function*() {
      yield* directory.addToken("changing")
      assert.strictEqual((yield* Testing.send(HttpClientRequest.get("/me").pipe(bearer("changing")))).status, 200)
      const token = directory.tokens.get("changing")!
      directory.tokens.set("changing", { ...token, state: "suspended" })
      assert.strictEqual((yield* Testing.send(HttpClientRequest.get("/me").pipe(bearer("changing")))).status, 403)
      directory.tokens.set("changing", { ...token, revoked: true })
      assert.strictEqual((yield* Testing.send(HttpClientRequest.get("/me").pipe(bearer("changing")))).status, 401)
    }).pipe(Effect.provide(secureServer(directory)))
  })

  it.effect("lets a token live until its expiry, by the clock: valid a millisecond before, token_expired at it", () => {
    const directory = new Directory()
    return Effect.gen(function*() {
      yield* directory.addToken("hour", { ttl: 3_600_000 })
      const me = HttpClientRequest.get("/me").pipe(bearer("hour"))
      yield* TestClock.adjust("3599999 millis")
      assert.strictEqual((yield* Testing.send(me)).status, 200)
      yield* TestClock.adjust("1 millis")
      const expired = yield* Testing.send(me)
      assert.strictEqual(expired.status, 401)
      assert.strictEqual(JSON.parse(expired.body).error, "token_expired")
    }).pipe(Effect.provide(secureServer(directory)))
  })

  it.effect("answers 503 service_unavailable, in the format, when the credentials cannot be looked up", () =>
    Effect.gen(function*() {
      const directory = new Directory()
      const logs: Array<Testing.LogEntry> = []
      yield* directory.addToken("good")
      directory.down = true
      const answer = yield* Testing.send(HttpClientRequest.get("/me").pipe(bearer("good"))).pipe(
        Effect.provide(secureServer(directory, { logs }))
      )
      assert.instanceOf(WireFormat.OAuthDetails.decode(answer), ServiceUnavailable)
      assert.strictEqual(answer.headers["retry-after"], "1")
      assert.isTrue(logs.some((entry) => entry.message === "credentials could not be looked up"))
    }))
})

describe("Authentication: sessions and CSRF (seed 002)", () => {
  const withSession = (request: HttpClientRequest.HttpClientRequest, id: string) =>
    request.pipe(HttpClientRequest.setHeader("cookie", `${Authentication.sessionCookie}=${id}`))

  it.effect("authenticates by the session cookie, and requires the CSRF token on each unsafe method", () =>
    Effect.gen(function*() {
      const sessions = new Directory()
      yield* sessions.addSession("ses_1", "csrf_1")
      yield* sessions.addToken("good")
      const run = Effect.gen(function*() {
        assert.strictEqual((yield* Testing.send(withSession(HttpClientRequest.get("/me"), "ses_1"))).status, 200)
        const unsafe = [
          order("tea"),
          HttpClientRequest.put("/orders/o1").pipe(HttpClientRequest.bodyUnsafeJson({ item: "tea" })),
          HttpClientRequest.patch("/orders/o1").pipe(HttpClientRequest.bodyUnsafeJson({ item: "tea" })),
          HttpClientRequest.del("/orders/o1")
        ]
        for (const request of unsafe) {
          const without = yield* Testing.send(withSession(request, "ses_1"))
          assertRefused(
            WireFormat.OAuthDetails,
            without,
            CsrfValidationFailed,
            refused("The CSRF token is missing or does not match")
          )
          const wrong = yield* Testing.send(withSession(request, "ses_1").pipe(HttpClientRequest.setHeader("x-csrf-token", "csrf_2")))
          assert.strictEqual(wrong.status, 403, request.method)
          const right = yield* Testing.send(withSession(request, "ses_1").pipe(HttpClientRequest.setHeader("x-csrf-token", "csrf_1")))
          assert.isBelow(right.status, 300, `${request.method}: ${right.body}`)
          // A bearer token needs no CSRF token: a page of another site cannot make the browser send one.
          assert.isBelow((yield* Testing.send(request.pipe(bearer("good")))).status, 300, request.method)
        }
        // An unknown session is an expired one.
        const unknown = yield* Testing.send(withSession(HttpClientRequest.get("/me"), "ses_unknown"))
        assertRefused(WireFormat.OAuthDetails, unknown, SessionExpired, refused("The session has expired; sign in again"))
      })
      yield* Effect.provide(run, secureServer(sessions))
    }))

  it.effect("ends a session after its idle lifetime, and after its absolute lifetime however active", () =>
    Effect.gen(function*() {
      const sessions = new Directory()
      yield* sessions.addSession("ses_idle", "csrf")
      yield* sessions.addSession("ses_busy", "csrf")
      const me = (id: string) => Effect.map(Testing.send(withSession(HttpClientRequest.get("/me"), id)), (a) => a.status)
      const run = Effect.gen(function*() {
        // Used every 20 minutes, a session outlives its 30-minute idle lifetime until its absolute lifetime ends.
        for (let minutes = 20; minutes < 120; minutes += 20) {
          yield* TestClock.adjust("20 minutes")
          assert.strictEqual(yield* me("ses_busy"), 200, `${minutes} minutes in`)
        }
        assert.strictEqual(yield* me("ses_idle"), 401)
        yield* TestClock.adjust("20 minutes")
        assert.strictEqual(yield* me("ses_busy"), 401)
      })
      yield* Effect.provide(run, secureServer(sessions, { session: { idleTimeout: "30 minutes", absoluteTimeout: "2 hours" } }))
    }))
})

describe("Authentication outside an Errata server", () => {
  it.scopedLive("refuses to guess an endpoint's scopes: without ErrataServer.layer a request is the server's fault", () =>
    Effect.gen(function*() {
      const directory = new Directory()
      yield* directory.addToken("read-only", { scopes: [] })
      const plain = HttpApiBuilder.serve().pipe(
        Layer.provide(HttpApiBuilder.api(SecureApi).pipe(Layer.provide(Layer.merge(secureHandlers(directory), hookHandlers)))),
        Layer.provide(Authentication.layer({ realm: "plain", bearer: (token) => Effect.succeed(Option.fromNullable(directory.tokens.get(Redacted.value(token)))) })),
        Layer.provide(Webhooks.layer({ secrets: [] })),
        Layer.provide(Testing.captureLogs([])),
        Layer.provideMerge(NodeHttpServer.layerTest)
      )
      const answer = yield* Testing.send(order("tea").pipe(bearer("read-only"))).pipe(Effect.provide(yield* Layer.build(plain)))
      assert.strictEqual(answer.status, 500)
      assert.strictEqual(directory.executions, 0)
    }))
})

describe("Authentication helpers", () => {
  it("compares secrets in constant time, and hashes them for storage", () => {
    assert.isTrue(Authentication.constantTimeEqual("abc", "abc"))
    assert.isFalse(Authentication.constantTimeEqual("abc", "abd"))
    assert.isFalse(Authentication.constantTimeEqual("abc", "abcd"))
    assert.strictEqual(Authentication.hashSecret("abc"), Authentication.hashSecret(Redacted.make("abc")))
    assert.match(Authentication.hashSecret("abc"), /^[0-9a-f]{64}$/)
    const secret = Authentication.newSecret("at_")
    assert.match(Redacted.value(secret), /^at_[A-Za-z0-9_-]{43}$/)
    assert.notInclude(String(secret), Redacted.value(secret))
  })

  it("reads client credentials from Authorization: Basic, form-decoded (RFC 6749 §2.3.1)", () => {
    const header = `Basic ${Buffer.from("my%20client:s%3Acret+x").toString("base64")}`
    const found = Option.getOrThrow(Authentication.basicCredentials(header))
    assert.strictEqual(found.username, "my client")
    assert.strictEqual(Redacted.value(found.password), "s:cret x")
    assert.isTrue(Option.isNone(Authentication.basicCredentials("Bearer abc")))
    assert.isTrue(Option.isNone(Authentication.basicCredentials(`Basic ${Buffer.from("no-colon").toString("base64")}`)))
    assert.isTrue(Option.isNone(Authentication.basicCredentials(undefined)))
  })

  it("writes challenges without characters RFC 6750's quoted strings cannot hold", () => {
    const challenge = Authentication.challenge("a \"realm\"\\")(new InvalidToken({ message: "bad \"token\"\nhere" }))
    assert.deepStrictEqual(challenge, {
      "www-authenticate": "Bearer realm=\"a realm\", error=\"invalid_token\", error_description=\"bad tokenhere\""
    })
    assert.isUndefined(Authentication.challenge("r")(new ServiceUnavailable({ message: "down" })))
  })
})
