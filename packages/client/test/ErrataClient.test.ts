import { HttpApiEndpoint, HttpApiGroup, HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, Catalog, CatalogError, ErrataApi, GoogleRpc, UnknownApiError, WireFormat } from "@errata/domain"
import {
  DatabaseError,
  EmailAlreadyExists,
  RateLimitExceeded,
  ServiceUnavailable,
  TokenExpired,
  UserNotFound
} from "@errata/domain/Errors"
import { ErrataClient, TransportError } from "@errata/client"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Redacted, Ref, Schema } from "effect"
import type { Answer, ScriptedServer } from "./fixtures/ScriptedServer.js"
import { json, ok, scriptedServer, user } from "./fixtures/ScriptedServer.js"
import { CreateUser, UserId, UsersApi } from "./fixtures/UsersApi.js"

class SeatsExhausted extends CatalogError.Class<SeatsExhausted>()("SeatsExhausted", {
  code: "seats_exhausted",
  status: 409,
  category: "conflict",
  description: "Every seat of the team is taken",
  resolution: "Free a seat or buy more",
  fields: { seats: Schema.Int }
}) {}

class TeamsApi extends ErrataApi.make("teams").add(
  HttpApiGroup.make("teams").add(HttpApiEndpoint.post("invite", "/teams/invite").addError(SeatsExhausted))
) {}

/** The HTTP client, with the failed-call log lines silenced (one test captures them). */
const Live = Layer.merge(NodeHttpClient.layer, Logger.minimumLogLevel(LogLevel.None))

const id = UserId.make("usr_1")
const fast = { baseTransient: "1 millis", baseThrottled: "1 millis" } as const

const client = (server: ScriptedServer, options: Partial<ErrataClient.Options> = {}) =>
  ErrataClient.make(UsersApi, { baseUrl: server.url, retry: fast, ...options })

const encoded = (format: WireFormat.Any, error: CatalogError.CatalogError): Answer => {
  const wire = format.encode(error)
  return { status: wire.status, headers: { ...wire.headers }, body: wire.body }
}

const getUser = (server: ScriptedServer, options: Partial<ErrataClient.Options> = {}) =>
  Effect.flatMap(client(server, options), (c) => c.users.get({ path: { id } }))

describe("ErrataClient decoding", () => {
  it.scoped("decodes an error from every format into the same class, with the request id", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      for (const format of BuiltinFormats.all) {
        server.script([encoded(format, new UserNotFound({ message: "gone", userId: "usr_1", requestId: "req_42" }))])
        const error = yield* Effect.flip(getUser(server))
        assert.instanceOf(error, UserNotFound, format.name)
        assert.strictEqual(error.message, "gone")
        assert.strictEqual(error.requestId, "req_42")
      }
    }).pipe(Effect.provide(Live)))

  it.scoped("decodes with the configured format, and answers UnknownApiError for another", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([encoded(WireFormat.CodeMessage, new UserNotFound())])
      assert.instanceOf(yield* Effect.flip(getUser(server, { formats: [WireFormat.CodeMessage] })), UserNotFound)
      server.script([encoded(WireFormat.NestedError, new UserNotFound())])
      const other = yield* Effect.flip(getUser(server, { formats: [WireFormat.CodeMessage] }))
      assert.instanceOf(other, UnknownApiError.UnknownApiError)
      assert.strictEqual(other.status, 404)
    }).pipe(Effect.provide(Live)))

  it.scoped("answers UnknownApiError for a code outside the catalog and for an error the endpoint does not declare", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([json(404, { error: "tenant_not_found", error_description: "No tenant" })])
      const unknownCode = yield* Effect.flip(getUser(server))
      assert.instanceOf(unknownCode, UnknownApiError.UnknownApiError)
      assert.strictEqual(unknownCode.code, "tenant_not_found")

      server.script([encoded(WireFormat.OAuthDetails, new EmailAlreadyExists({ requestId: "req_7" }))])
      const undeclared = yield* Effect.flip(getUser(server))
      assert.instanceOf(undeclared, UnknownApiError.UnknownApiError)
      assert.strictEqual(undeclared.status, 409)
      assert.strictEqual(undeclared.code, "email_already_exists")
      assert.strictEqual(undeclared.requestId, "req_7")
    }).pipe(Effect.provide(Live)))

  it.scoped("decodes a user's own error class, declared on the API, with no configuration: in every format", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const c = yield* ErrataClient.make(TeamsApi, { baseUrl: server.url, retry: false })
      for (const format of BuiltinFormats.all) {
        const catalog = WireFormat.withCatalog(format, Catalog.make(SeatsExhausted))
        server.script([encoded(catalog, new SeatsExhausted({ seats: 5, requestId: "req_p" }))])
        const error = yield* Effect.flip(c.teams.invite({}))
        assert.instanceOf(error, SeatsExhausted, format.name)
        assert.strictEqual(error.seats, 5)
        assert.strictEqual(error.requestId, "req_p")
      }
    }).pipe(Effect.provide(Live)))

  it.scoped("recognises only the formats that can carry the API's errors, and decodes in those", () =>
    Effect.gen(function*() {
      // An own field named `details`: the seeds' shapes use or look at that member, so they cannot carry this error.
      class Detailed extends CatalogError.Class<Detailed>()("Detailed", {
        code: "detailed",
        status: 409,
        category: "conflict",
        description: "d",
        resolution: "r",
        fields: { details: Schema.String }
      }) {}
      class DetailedApi extends ErrataApi.make("detailed").add(
        HttpApiGroup.make("things").add(HttpApiEndpoint.post("make", "/things").addError(Detailed))
      ) {}
      const decoder = ErrataClient.decoderOf(DetailedApi)
      assert.deepStrictEqual(decoder.formats.map((format) => format.name), ["problem-details", "google-rpc"])
      const server = yield* scriptedServer
      const c = yield* ErrataClient.make(DetailedApi, { baseUrl: server.url, retry: false })
      const google = WireFormat.withCatalog(GoogleRpc.format, Catalog.make(Detailed))
      server.script([encoded(google, new Detailed({ details: "the thing exists" }))])
      const error = yield* Effect.flip(c.things.make())
      assert.instanceOf(error, Detailed)
      assert.strictEqual(error.details, "the thing exists")
    }).pipe(Effect.provide(Live)))

  it.scoped("dies with RequestEncodeError, sending nothing, for a request that does not match its schema", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const c = yield* client(server)
      const exit = yield* Effect.exit(c.users.get({ path: { id: 42 as unknown as typeof UserId.Type } }))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      const defect = Cause.squash((exit as Exit.Failure<unknown, unknown>).cause)
      assert.instanceOf(defect, ErrataClient.RequestEncodeError)
      assert.strictEqual(defect.endpoint, "users.get")
      assert.strictEqual(defect.message, "The request to users.get does not match its schema, and was not sent: id: Expected string")
      assert.strictEqual(server.received.length, 0)
    }).pipe(Effect.provide(Live)))

  it.scoped("answers UnknownApiError for a proxy's HTML, an empty, truncated or non-UTF-8 body, and a bad success body", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const cases: Array<[Answer, number]> = [
        [{ status: 404, headers: { "content-type": "text/html" }, body: "<html><h1>Not Found</h1></html>" }, 404],
        [{ status: 404 }, 404],
        [{ status: 404, headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]) }, 404],
        [{ status: 200, headers: { "content-type": "application/json" }, body: "{\"id\": 42}" }, 200],
        [{ status: 200, headers: { "content-type": "text/html" }, body: "<html>" }, 200]
      ]
      for (const [answer, status] of cases) {
        server.script([answer])
        const exit = yield* Effect.exit(getUser(server, { retry: false }))
        assert.isTrue(Exit.isFailure(exit))
        const error = yield* Effect.flip(Effect.suspend(() => exit))
        assert.instanceOf(error, UnknownApiError.UnknownApiError, JSON.stringify(answer.body))
        assert.strictEqual(error.status, status)
      }
    }).pipe(Effect.provide(Live)))

  it.scoped("answers TransportError for a body cut short: the connection was reset", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([{ status: 404, headers: { "content-type": "application/json" }, body: "{\"error\":\"user_n", truncate: true }])
      const error = yield* Effect.flip(getUser(server, { retry: false }))
      assert.instanceOf(error, TransportError.TransportError)
    }).pipe(Effect.provide(Live)))

  it.scoped("answers TransportError for a refused connection", () =>
    Effect.gen(function*() {
      const c = yield* ErrataClient.make(UsersApi, { baseUrl: "http://127.0.0.1:9", retry: false })
      const error = yield* Effect.flip(c.users.get({ path: { id } }))
      assert.instanceOf(error, TransportError.TransportError)
      assert.strictEqual(error.reason, "connection_refused")
    }).pipe(Effect.provide(Live)))

  it.scoped("takes retryAfter from Retry-After as an HTTP-date", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const at = new Date(Date.now() + 120_000).toUTCString()
      server.script([json(429, { code: "RATE_LIMIT_EXCEEDED", message: "slow down" }, { "retry-after": at })])
      const error = yield* Effect.flip(getUser(server))
      assert.instanceOf(error, RateLimitExceeded)
      assert.isTrue(error.retryAfter! >= 119 && error.retryAfter! <= 120)
    }).pipe(Effect.provide(Live)))

  it.scoped("logs a failed call once with code, status and request id: 4xx at debug, 5xx or no answer at warning", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const lines: Array<Record<string, unknown>> = []
      const logger = Logger.make(({ annotations, logLevel, message }) => {
        lines.push({ level: logLevel.label, message, ...Object.fromEntries(annotations) })
      })
      const captured = Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.All))
      server.script([encoded(WireFormat.OAuthDetails, new UserNotFound({ requestId: "req_9" }))])
      const handled = yield* getUser(server).pipe(
        Effect.catchTag("UserNotFound", () => Effect.succeed("handled")),
        Effect.provide(captured)
      )
      assert.strictEqual(handled, "handled")
      server.script([encoded(WireFormat.OAuthDetails, new DatabaseError({ requestId: "req_10" }))])
      yield* Effect.flip(getUser(server, { retry: false })).pipe(Effect.provide(captured))
      // Nothing listens on port 9 (discard) of the loopback address: the connection is refused.
      const unreachable = yield* ErrataClient.make(UsersApi, { baseUrl: "http://127.0.0.1:9", retry: false })
      yield* Effect.flip(unreachable.users.get({ path: { id } })).pipe(Effect.provide(captured))
      assert.deepStrictEqual(lines, [{
        level: "DEBUG",
        message: ["api call failed"],
        endpoint: "users.get",
        method: "GET",
        error_code: "user_not_found",
        status: 404,
        request_id: "req_9"
      }, {
        level: "WARN",
        message: ["api call failed"],
        endpoint: "users.get",
        method: "GET",
        error_code: "database_error",
        status: 500,
        request_id: "req_10"
      }, {
        level: "WARN",
        message: ["api call failed"],
        endpoint: "users.get",
        method: "GET",
        error_code: "transport_connection_refused",
        status: 0,
        request_id: ""
      }])
    }).pipe(Effect.provide(NodeHttpClient.layer)))
})

// Retries wait real time (the bases are 1 ms here), so these tests run on the live clock.
describe("ErrataClient retries", () => {
  const unavailable = encoded(WireFormat.OAuthDetails, new ServiceUnavailable())

  it.scopedLive("retries 503s and succeeds; never retries 400/403/404/409/422", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([unavailable, unavailable])
      const found = yield* getUser(server)
      assert.strictEqual(found.id, user.id)
      assert.strictEqual(server.received.length, 3)
      for (const status of [400, 403, 404, 409, 422]) {
        const cls = Catalog.builtin.errors.find((c) => c.metadata.status === status)!
        server.script([encoded(WireFormat.OAuthDetails, new cls({}))])
        yield* Effect.flip(getUser(server))
        assert.strictEqual(server.received.length, 1, `status ${status}`)
      }
    }).pipe(Effect.provide(Live)))

  it.scopedLive("times out an attempt that gets no answer, and retries it", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([{ hang: true }])
      const found = yield* getUser(server, { attemptTimeout: "300 millis" })
      assert.strictEqual(found.id, user.id)
      // The first attempt got no answer; a loaded machine may time out a second one too.
      assert.isAtLeast(server.received.length, 2)
      server.script([], () => ({ hang: true }))
      const error = yield* Effect.flip(getUser(server, { attemptTimeout: "50 millis", retry: false }))
      assert.instanceOf(error, TransportError.TransportError)
      assert.strictEqual(error.reason, "timeout")
    }).pipe(Effect.provide(Live)))

  it.scopedLive("stops after 4 attempts in all", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([], () => unavailable)
      const error = yield* Effect.flip(getUser(server))
      // UsersApi does not declare 503: it arrives as UnknownApiError, retried by its status.
      assert.instanceOf(error, UnknownApiError.UnknownApiError)
      assert.strictEqual(error.status, 503)
      assert.strictEqual(server.received.length, 4)
    }).pipe(Effect.provide(Live)))

  it.scopedLive("never sends again before the server's Retry-After", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([json(503, { error: "service_unavailable", error_description: "x" }, { "retry-after": "1" })])
      yield* getUser(server)
      assert.strictEqual(server.received.length, 2)
      assert.isAtLeast(server.received[1]!.at - server.received[0]!.at, 1000)
    }).pipe(Effect.provide(Live)))

  it.scopedLive("fails at once, with the typed error and its retryAfter, when Retry-After is above the ceiling", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([json(429, { error: "rate_limit_exceeded", error_description: "x", retry_after: 86400 })])
      const error = yield* Effect.flip(getUser(server))
      assert.instanceOf(error, RateLimitExceeded)
      assert.strictEqual(error.retryAfter, 86400)
      assert.strictEqual(server.received.length, 1)
    }).pipe(Effect.provide(Live)))

  it.scopedLive("retries a past or garbage Retry-After promptly", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([
        json(503, { error: "service_unavailable", error_description: "x" }, { "retry-after": "Wed, 01 Jan 2020 00:00:00 GMT" }),
        json(503, { error: "service_unavailable", error_description: "x" }, { "retry-after": "soon" })
      ])
      yield* getUser(server)
      assert.strictEqual(server.received.length, 3)
      // Neither hint is waited out (a policy that fell back to a default wait would take seconds or a minute).
      assert.isBelow(server.received[2]!.at - server.received[0]!.at, 5000)
    }).pipe(Effect.provide(Live)))

  const create = (server: ScriptedServer, options: Partial<ErrataClient.Options> = {}) =>
    Effect.flatMap(
      client(server, options),
      (c) =>
        c.users.create({
          payload: new CreateUser({ email: "ann@example.com", name: "Ann", password: Redacted.make("s3cretpass") })
        })
    )

  it.scopedLive("retries a POST with the same Idempotency-Key on every attempt", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([unavailable, { reset: true }], () => ({ ...ok, status: 201 }))
      yield* create(server)
      const keys = server.received.map((request) => request.headers["idempotency-key"])
      assert.strictEqual(keys.length, 3)
      assert.match(String(keys[0]), /^idem_[0-9a-f]{32}$/)
      assert.deepStrictEqual(new Set(keys).size, 1)
      yield* create(server)
      assert.notStrictEqual(server.received[3]!.headers["idempotency-key"], keys[0])
    }).pipe(Effect.provide(Live)))

  it.scopedLive("does not retry a POST without an Idempotency-Key, even when its connection is reset", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([{ reset: true }])
      const error = yield* Effect.flip(create(server, { idempotencyKeys: false }))
      assert.instanceOf(error, TransportError.TransportError)
      assert.strictEqual(error.reason, "connection_reset")
      assert.strictEqual(server.received.length, 1)
      assert.isUndefined(server.received[0]!.headers["idempotency-key"])
    }).pipe(Effect.provide(Live)))

  it.scopedLive("refreshes an expired token once for 500 concurrent calls, then replays each once", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      const token = yield* Ref.make("old")
      let refreshes = 0
      server.script([], (request) =>
        request.headers.authorization === "Bearer new"
          ? ok
          : encoded(WireFormat.OAuthDetails, new TokenExpired()))
      const authorized = yield* ErrataClient.make(UsersApi, {
        baseUrl: server.url,
        retry: fast,
        refresh: Effect.zipRight(Effect.sleep("20 millis"), Effect.sync(() => refreshes++)).pipe(
          Effect.zipRight(Ref.set(token, "new"))
        ),
        transformClient: HttpClient.mapRequestEffect((request) =>
          Effect.map(Ref.get(token), (value) => HttpClientRequest.setHeader(request, "authorization", `Bearer ${value}`))
        )
      })
      const results = yield* Effect.all(
        Array.from({ length: 500 }, () => authorized.users.get({ path: { id } })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.length, 500)
      assert.strictEqual(refreshes, 1)
      assert.strictEqual(server.received.length, 1000)
    }).pipe(Effect.provide(Live)), 30_000)

  it.scopedLive("keeps total traffic within 1.1× the calls during a full outage (shared retry budget)", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([], () => unavailable)
      // The budget alone: without the circuit breaker, which would hold the calls back.
      const c = yield* client(server, { circuit: false })
      for (let i = 0; i < 500; i++) yield* Effect.flip(c.users.get({ path: { id } }))
      // 20 initial tokens and 0.04 per call: 40 retries for 500 calls.
      assert.isAtMost(server.received.length, 550)
      assert.isAtLeast(server.received.length, 500)
    }).pipe(Effect.provide(Live)))

  it.scopedLive("waits for the circuit during a full outage: little is sent, and each call fails at its deadline with the typed error", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([], () => unavailable)
      const c = yield* client(server, { retry: { ...fast, deadline: "100 millis" }, circuit: { failureThreshold: 3 } })
      for (let i = 0; i < 10; i++) {
        const error = yield* Effect.flip(c.users.get({ path: { id } }))
        assert.instanceOf(error, UnknownApiError.UnknownApiError)
        assert.strictEqual(error.status, 503)
      }
      // Three failures open the circuit; then only probes, at most one per cool-down (250 ms, then longer).
      assert.isAtMost(server.received.length, 3 + 5)
    }).pipe(Effect.provide(Live)))
})
