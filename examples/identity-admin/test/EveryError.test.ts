/**
 * The proof that every documented error can happen: one table maps each catalog class — the seeds' 51 and the
 * framework's own — to a real HTTP request that produces it against the reference service. For each row and each
 * wire format, the request is sent (with the real client where a client can send it, else as raw HTTP decoded by the
 * built-in formats' detection), and the answer is checked: the class, the status, `X-Request-ID`, `Retry-After` on 429 and
 * 503, `WWW-Authenticate` on 401, and a body that matches the format's JSON Schema for that class and the schema the
 * service's own OpenAPI document gives for that endpoint, status and content type. A class without a row fails the
 * test.
 */
import { HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { ErrataClient } from "@errata/client"
import { BuiltinFormats, Catalog, CatalogError, OAuth, WireFormat } from "@errata/domain"
import * as Testing from "@errata/domain/Testing"
import * as Errors from "@errata/domain/Errors"
import * as FrameworkErrors from "@errata/domain/FrameworkErrors"
import { Testing as ServerTesting } from "@errata/server"
import { SqlClient } from "@effect/sql"
import { Effect, Either, Layer, Redacted } from "effect"
import type { Scope } from "effect"
import { readFileSync } from "node:fs"
import { connect } from "node:net"
import { fileURLToPath } from "node:url"
import { AdminApi } from "../src/Api.js"
import { CreateUser } from "../src/User.js"
import * as TestDatabase from "./fixtures/Database.js"
import * as OpenApiDocument from "./fixtures/OpenApiDocument.js"
import { pollUntil } from "./fixtures/Poll.js"
import { recorder } from "./fixtures/Recording.js"
import * as Upstream from "./fixtures/Upstream.js"
import { admin, adminToken, login, service, type ServiceOptions, userTokens } from "./fixtures/Service.js"

/** Raw answers are decoded over the whole catalog: a route outside the API declares nothing. */
const decoder = WireFormat.detect(BuiltinFormats.all)
const password = "s3cretpass"
const adminCredentials = { clientId: admin.clientId, clientSecret: Redacted.make(admin.clientSecret) }

/** The means a row has to produce its error, against the service of the test. */
const makeKit = Effect.gen(function*() {
  const { last, record, send, write } = recorder()
  /** The real client, with `headers` on every request; no retries, so that each call is one request. */
  const client = (headers: Record<string, string> = {}) =>
    ErrataClient.make(AdminApi, {
      baseUrl: "",
      retry: false,
      transformClient: (http) => record(HttpClient.mapRequest(http, HttpClientRequest.setHeaders(headers)))
    })
  const bearer = (token: string) => client({ authorization: `Bearer ${token}` })
  /** A request the client cannot send (malformed, or outside the API), decoded as a client recognises formats. */
  const raw = (request: HttpClientRequest.HttpClientRequest) =>
    Effect.flatMap(send(request), (answer) => Effect.fail(decoder.decode(answer)))
  /** Bytes no HTTP client would send (`GET /api/nowhere`, as far as they go), decoded as `raw` decodes. */
  const wire = (bytes: string) =>
    Effect.flatMap(write(bytes, { method: "GET", url: "/api/nowhere" }), (answer) => Effect.fail(decoder.decode(answer)))
  const administrator = Effect.flatMap(adminToken(), bearer)
  const tokenOf = (email: string) => Effect.map(userTokens(email, password), (issued) => issued.access_token)
  /** A new user (a member unless said otherwise), and a client with the user's token. */
  const user = (email: string, role: "admin" | "member" = "member") =>
    Effect.gen(function*() {
      const created = yield* (yield* administrator).users.create({
        payload: new CreateUser({ email, name: "Test user", password: Redacted.make(password), role })
      })
      return { user: created, client: yield* bearer(yield* tokenOf(email)) }
    })
  const passwordGrant = (email: string, secret: string) =>
    new OAuth.PasswordGrant({ grantType: "password", ...adminCredentials, username: email, password: Redacted.make(secret) })
  /** A failed job's answer: read until it is an error, a bounded number of times. */
  const ended = (id: string) =>
    Effect.flatMap(administrator, (client) => pollUntil(Effect.either(client.jobs.get({ path: { id: id as never } })), Either.isLeft)).pipe(
      Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: () => Effect.dieMessage(`job ${id} did not end`) }))
    )
  return {
    client,
    bearer,
    ended,
    raw,
    wire,
    administrator,
    tokenOf,
    user,
    passwordGrant,
    last
  }
})

type Kit = Effect.Effect.Success<typeof makeKit>

interface Row {
  /** The class the request is answered with; a function for the classes a format chooses (validation, bad bodies). */
  readonly error: CatalogError.AnyClass | ((format: WireFormat.Any) => CatalogError.AnyClass)
  /** The request, as the README's table says it. */
  readonly request: string
  /** Sends it; the effect fails with what the client decoded. */
  readonly produce: (kit: Kit) => Effect.Effect<unknown, unknown, HttpClient.HttpClient | HttpServer.HttpServer>
  /** The row needs a service of its own, with these options (made anew for each service, in the test's scope). */
  readonly service?: ServiceOptions | Effect.Effect<ServiceOptions, never, Scope.Scope>
  /** The endpoint answers in a format of its own, whatever the service's (the OAuth endpoints: RFC 6749's). */
  readonly answeredIn?: WireFormat.Any
}

const json = (method: "POST" | "PUT" | "PATCH", url: string, body: string, contentType = "application/json") =>
  HttpClientRequest.make(method)(url).pipe(HttpClientRequest.bodyText(body, contentType))

const withAdmin = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(adminToken(), (token) => Effect.succeed(HttpClientRequest.bearerToken(request, token)))

const zeros = "0".repeat(32)

/** The export destination of the format's services, told how to answer by the rows that use it. */
let upstream: Upstream.Upstream

const newUser = (email: string) => JSON.stringify({ email, name: "Test user", password })

/** Holds a request in flight: its headers sent, its body never finished, until the scope closes. */
const stalledRequest = Effect.gen(function*() {
  const server = yield* HttpServer.HttpServer
  const port = (server.address as HttpServer.TcpAddress).port
  const socket = yield* Effect.acquireRelease(
    Effect.async<ReturnType<typeof connect>>((resume) => {
      const socket = connect(port, "127.0.0.1", () => resume(Effect.succeed(socket)))
    }),
    (socket) => Effect.sync(() => socket.destroy())
  )
  socket.write("POST /api/admin/users HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{")
  // Until the server has admitted it: a probe (not recorded) is turned away only then.
  yield* pollUntil(ServerTesting.send(HttpClientRequest.get("/api/nowhere")), (answer) => answer.status === 503)
})

/** The database of the row's own service, for the rows that break it from outside. */
let database: TestDatabase.TestDatabase | undefined

const ownDatabase = Effect.map(TestDatabase.fresh({ lockWaitMs: 50 }), (created) => {
  database = created
  return { database: created.options }
})

/** Runs statements on the row's database, as another process would. */
const onDatabase = <A>(statements: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, statements).pipe(Effect.provide(database!.client))

/** The database's write lock, held by another connection until the scope closes. */
const holdingWriteLock = Effect.suspend(() => TestDatabase.holdingWriteLock(database!))

export const rows: ReadonlyArray<Row> = [
  // 400
  {
    error: (format) => format.envelope.malformedBody,
    request: "POST /api/admin/users with the body `{` (not JSON)",
    produce: (kit) => Effect.flatMap(withAdmin(json("POST", "/api/admin/users", "{")), kit.raw)
  },
  {
    error: Errors.BadRequest,
    request: "GET /api/nowhere with a bare CR in a header value (refused by Node's HTTP parser)",
    produce: (kit) => kit.wire("GET /api/nowhere HTTP/1.1\r\nhost: x\r\nx-note: a\rb\r\n\r\n")
  },
  {
    error: (format) => format.envelope.validationError,
    request: "POST /api/admin/users with `{\"email\":42}` (the format's validation class)",
    produce: (kit) => Effect.flatMap(withAdmin(json("POST", "/api/admin/users", "{\"email\":42}")), kit.raw)
  },
  {
    error: Errors.InvalidParameter,
    request: "GET /api/admin/users?sort=shoe_size (a sort key that does not exist)",
    produce: (kit) => Effect.flatMap(kit.administrator, (client) => client.users.list({ urlParams: { sort: "shoe_size" } }))
  },
  {
    error: Errors.InvalidParameter,
    request: "GET /api/admin/users?colour=red (a query parameter the endpoint does not know)",
    produce: (kit) => Effect.flatMap(withAdmin(HttpClientRequest.get("/api/admin/users?colour=red")), kit.raw)
  },
  {
    error: Errors.InvalidRequest,
    request: "POST /api/admin/users with an Idempotency-Key of 256 characters",
    produce: (kit) =>
      Effect.flatMap(
        withAdmin(json("POST", "/api/admin/users", newUser("key@example.com")).pipe(
          HttpClientRequest.setHeader("idempotency-key", "k".repeat(256))
        )),
        kit.raw
      )
  },
  {
    error: Errors.FlowInactive,
    request: "POST /api/admin/flows/{id}/execute on a flow never activated",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const flow = yield* client.flows.create({ payload: { name: "sign-in", steps: [{ type: "present", field: "email" }] } })
        return yield* client.flows.execute({ path: { id: flow.id }, payload: { input: { email: "a@example.com" } } })
      })
  },
  {
    error: Errors.JobCancelled,
    request: "GET /api/admin/jobs/{id} of a job cancelled with POST /api/admin/jobs/{id}/cancel",
    service: { jobs: { concurrency: 0 } },
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const job = yield* client.jobs.createImport({ payload: { format: "ndjson", text: newUser("queued@example.com") } })
        yield* client.jobs.cancel({ path: { id: job.id } })
        return yield* client.jobs.get({ path: { id: job.id } })
      })
  },
  // 401
  {
    error: Errors.Unauthorized,
    request: "GET /api/admin/users without credentials",
    produce: (kit) => Effect.flatMap(kit.client(), (client) => client.users.list({ urlParams: {} }))
  },
  {
    error: Errors.UnauthorizedClient,
    request: "POST /oauth/token, client_credentials with a wrong client_secret",
    answeredIn: WireFormat.OAuthStyle,
    produce: (kit) =>
      Effect.flatMap(kit.client(), (client) =>
        client.oauth.token({
          payload: new OAuth.ClientCredentialsGrant({
            grantType: "client_credentials",
            clientId: admin.clientId,
            clientSecret: Redacted.make("not-the-secret")
          })
        }))
  },
  {
    error: Errors.InvalidToken,
    request: "GET /api/admin/users with `Bearer at_never_issued`",
    produce: (kit) => Effect.flatMap(kit.bearer("at_never_issued"), (client) => client.users.list({ urlParams: {} }))
  },
  {
    error: Errors.TokenExpired,
    request: "a token used after its lifetime (ERRATA_ACCESS_TOKEN_TTL; 1 s here)",
    service: { security: { accessTokenTtl: "1 second" as never } },
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.bearer(yield* adminToken())
        yield* Effect.sleep("1500 millis")
        return yield* client.users.list({ urlParams: {} })
      })
  },
  {
    error: Errors.TokenRevoked,
    request: "a token after POST /oauth/revoke",
    produce: (kit) =>
      Effect.gen(function*() {
        const token = yield* adminToken()
        yield* (yield* kit.client()).oauth.revoke({ payload: new OAuth.RevokeRequest({ token: Redacted.make(token), ...adminCredentials }) })
        return yield* (yield* kit.bearer(token)).users.list({ urlParams: {} })
      })
  },
  {
    error: Errors.InvalidCredentials,
    request: "POST /oauth/token, password grant with a wrong password",
    answeredIn: WireFormat.OAuthStyle,
    produce: (kit) =>
      Effect.gen(function*() {
        const { user } = yield* kit.user("ivy@example.com")
        return yield* (yield* kit.client()).oauth.token({ payload: kit.passwordGrant(user.email, "wrong-password1") })
      })
  },
  {
    error: Errors.SessionExpired,
    request: "the session cookie after the idle timeout (30 min; 1 s here)",
    service: { security: { sessionIdleTimeout: "1 second" as never } },
    produce: (kit) =>
      Effect.gen(function*() {
        yield* kit.user("sam@example.com")
        const session = yield* login("sam@example.com", password)
        yield* Effect.sleep("1500 millis")
        return yield* (yield* kit.client({ cookie: session.cookie })).session.current()
      })
  },
  {
    error: Errors.InvalidSignature,
    request: "POST /api/webhooks/provisioning unsigned",
    produce: (kit) =>
      Effect.flatMap(kit.raw(json("POST", "/api/webhooks/provisioning", "{\"type\":\"user.created\"}")), () => Effect.void)
  },
  // 403
  {
    error: Errors.Forbidden,
    request: "GET /api/admin/users with a member's token",
    produce: (kit) => Effect.flatMap(kit.user("fay@example.com"), ({ client }) => client.users.list({ urlParams: {} }))
  },
  {
    error: Errors.AccessDenied,
    request: "GET /api/admin/users/{another user's id} with a member's token",
    produce: (kit) =>
      Effect.gen(function*() {
        const other = yield* kit.user("ada@example.com")
        const { client } = yield* kit.user("bob@example.com")
        return yield* client.users.get({ path: { id: other.user.id } })
      })
  },
  {
    error: Errors.CsrfValidationFailed,
    request: "DELETE /api/session with the session cookie and no X-CSRF-Token",
    produce: (kit) =>
      Effect.gen(function*() {
        yield* kit.user("cid@example.com")
        const session = yield* login("cid@example.com", password)
        return yield* (yield* kit.client({ cookie: session.cookie })).session.logout()
      })
  },
  {
    error: Errors.AccountDisabled,
    request: "a user's token after PUT /api/admin/users/{id}/status {\"status\":\"disabled\"}",
    produce: (kit) =>
      Effect.gen(function*() {
        const { client, user } = yield* kit.user("dan@example.com")
        yield* (yield* kit.administrator).users.setStatus({ path: { id: user.id }, payload: { status: "disabled" } })
        return yield* client.session.current()
      })
  },
  {
    error: Errors.InsufficientScope,
    request: "POST /api/admin/users with a token of scope users:read",
    produce: (kit) =>
      Effect.flatMap(Effect.flatMap(adminToken("users:read"), kit.bearer), (client) =>
        client.users.create({ payload: new CreateUser({ email: "ina@example.com", name: "Ina", password: Redacted.make(password) }) }))
  },
  {
    error: Errors.UserSuspended,
    request: "a user's token after PUT /api/admin/users/{id}/status {\"status\":\"suspended\"}",
    produce: (kit) =>
      Effect.gen(function*() {
        const { client, user } = yield* kit.user("sue@example.com")
        yield* (yield* kit.administrator).users.setStatus({ path: { id: user.id }, payload: { status: "suspended" } })
        return yield* client.session.current()
      })
  },
  {
    error: Errors.UserLocked,
    request: "POST /oauth/token, password grant, after 5 wrong passwords in 15 minutes",
    answeredIn: WireFormat.OAuthStyle,
    produce: (kit) =>
      Effect.gen(function*() {
        const { user } = yield* kit.user("leo@example.com")
        const anonymous = yield* kit.client()
        for (let attempt = 0; attempt < 5; attempt++) {
          yield* Effect.flip(anonymous.oauth.token({ payload: kit.passwordGrant(user.email, "wrong-password1") }))
        }
        return yield* anonymous.oauth.token({ payload: kit.passwordGrant(user.email, password) })
      })
  },
  {
    error: Errors.ClientDisabled,
    request: "POST /oauth/token for a client after PUT /api/admin/clients/{id}/status {\"disabled\":true}",
    answeredIn: WireFormat.OAuthStyle,
    produce: (kit) =>
      Effect.gen(function*() {
        const administrator = yield* kit.administrator
        const partner = yield* administrator.clients.create({ payload: { clientId: "partner", name: "Partner" } })
        yield* administrator.clients.setStatus({ path: { id: partner.clientId }, payload: { disabled: true } })
        return yield* (yield* kit.client()).oauth.token({
          payload: new OAuth.ClientCredentialsGrant({
            grantType: "client_credentials",
            clientId: partner.clientId,
            clientSecret: partner.clientSecret
          })
        })
      })
  },
  {
    error: Errors.AccessDenied,
    request: "GET /api/admin/organizations/{id} with the token of a member of another organization",
    produce: (kit) =>
      Effect.gen(function*() {
        const organization = yield* (yield* kit.administrator).organizations.create({ payload: { name: "Elsewhere" } })
        const { client } = yield* kit.user("out@example.com")
        return yield* client.organizations.get({ path: { id: organization.id } })
      })
  },
  // 404
  {
    error: Errors.NotFound,
    request: "GET /api/nowhere",
    produce: (kit) => kit.raw(HttpClientRequest.get("/api/nowhere"))
  },
  {
    error: Errors.UserNotFound,
    request: "GET /api/admin/users/usr_nobody",
    produce: (kit) => Effect.flatMap(kit.administrator, (client) => client.users.get({ path: { id: "usr_nobody" as never } }))
  },
  {
    error: Errors.ClientNotFound,
    request: "PUT /api/admin/clients/nobody/status",
    produce: (kit) =>
      Effect.flatMap(kit.administrator, (client) => client.clients.setStatus({ path: { id: "nobody" }, payload: { disabled: true } }))
  },
  {
    error: Errors.ResourceNotFound,
    request: "DELETE /api/admin/users/{id}/roles/{roleId} for a role the user does not have",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const organization = yield* client.organizations.create({ payload: { name: "Unassigned" } })
        const role = yield* client.roles.create({ path: { id: organization.id }, payload: { name: "viewer" } })
        const { user } = yield* kit.user("nora@example.com")
        return yield* client.roles.unassign({ path: { id: user.id, roleId: role.id } })
      })
  },
  {
    error: Errors.JobNotFound,
    request: "GET /api/admin/jobs/job_nobody",
    produce: (kit) => Effect.flatMap(kit.administrator, (client) => client.jobs.get({ path: { id: "job_nobody" as never } }))
  },
  {
    error: Errors.OrganizationNotFound,
    request: `GET /api/admin/organizations/org_${zeros}`,
    produce: (kit) =>
      Effect.flatMap(kit.administrator, (client) => client.organizations.get({ path: { id: `org_${zeros}` as never } }))
  },
  {
    error: Errors.RoleNotFound,
    request: `GET /api/admin/roles/role_${zeros}`,
    produce: (kit) => Effect.flatMap(kit.administrator, (client) => client.roles.get({ path: { id: `role_${zeros}` as never } }))
  },
  {
    error: Errors.PolicyNotFound,
    request: `GET /api/admin/policies/pol_${zeros}`,
    produce: (kit) =>
      Effect.flatMap(kit.administrator, (client) => client.policies.get({ path: { id: `pol_${zeros}` as never } }))
  },
  {
    error: Errors.FlowNotFound,
    request: `GET /api/admin/flows/flow_${zeros}`,
    produce: (kit) => Effect.flatMap(kit.administrator, (client) => client.flows.get({ path: { id: `flow_${zeros}` as never } }))
  },
  // 405, 408, 409, 413, 415, 417, 431
  {
    error: FrameworkErrors.MethodNotAllowed,
    request: "PATCH /api/admin/users",
    produce: (kit) => kit.raw(json("PATCH", "/api/admin/users", "{}"))
  },
  {
    error: FrameworkErrors.RequestTimeout,
    request: "GET /api/nowhere whose headers do not all arrive within ERRATA_HEADERS_TIMEOUT (1 s here)",
    service: { server: { headersTimeout: "1 second" } },
    produce: (kit) => kit.wire("GET /api/nowhere HTTP/1.1\r\nhost: x\r\n")
  },
  {
    error: Errors.EmailAlreadyExists,
    request: "POST /api/admin/users twice with one email",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const create = client.users.create({
          payload: new CreateUser({ email: "twice@example.com", name: "Twice", password: Redacted.make(password) })
        })
        yield* create
        return yield* create
      })
  },
  {
    error: Errors.ClientIdAlreadyExists,
    request: "POST /api/admin/clients twice with one client_id",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const create = client.clients.create({ payload: { clientId: "twin", name: "Twin" } })
        yield* create
        return yield* create
      })
  },
  {
    error: Errors.Conflict,
    request: "POST /api/admin/jobs/{id}/cancel of a job that has ended",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const job = yield* client.jobs.createImport({ payload: { format: "ndjson", text: newUser("done@example.com") } })
        yield* pollUntil(client.jobs.get({ path: { id: job.id } }), (job) => job.status === "succeeded")
        return yield* client.jobs.cancel({ path: { id: job.id } })
      })
  },
  {
    error: Errors.DuplicateName,
    request: "POST /api/admin/organizations {\"name\":\"Acme\"} twice (names are unique as written: \"acme\" is another)",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        yield* client.organizations.create({ payload: { name: "Acme" } })
        yield* client.organizations.create({ payload: { name: "acme" } })
        return yield* client.organizations.create({ payload: { name: "Acme" } })
      })
  },
  {
    error: Errors.RoleAlreadyAssigned,
    request: "POST /api/admin/users/{id}/roles twice with one role_id",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const organization = yield* client.organizations.create({ payload: { name: "Twice" } })
        const role = yield* client.roles.create({ path: { id: organization.id }, payload: { name: "editor" } })
        const { user } = yield* kit.user("rae@example.com")
        yield* client.organizations.addMember({ path: { id: organization.id, userId: user.id } })
        yield* client.roles.assign({ path: { id: user.id }, payload: { roleId: role.id } })
        return yield* client.roles.assign({ path: { id: user.id }, payload: { roleId: role.id } })
      })
  },
  {
    error: FrameworkErrors.PayloadTooLarge,
    request: "POST /api/admin/users with a body over 1 MiB",
    produce: (kit) =>
      Effect.flatMap(withAdmin(json("POST", "/api/admin/users", `{"name":"${"x".repeat(1024 * 1024)}"}`)), kit.raw)
  },
  {
    error: FrameworkErrors.UnsupportedMediaType,
    request: "POST /api/admin/users with Content-Type text/plain",
    produce: (kit) => Effect.flatMap(withAdmin(json("POST", "/api/admin/users", newUser("tp@example.com"), "text/plain")), kit.raw)
  },
  {
    error: FrameworkErrors.ExpectationFailed,
    request: "POST /api/admin/users with Expect: 200-ok (only 100-continue is an expectation)",
    produce: (kit) =>
      kit.wire(
        "POST /api/admin/users HTTP/1.1\r\nhost: x\r\nexpect: 200-ok\r\ncontent-type: application/json\r\n" +
          "content-length: 2\r\n\r\n{}"
      )
  },
  {
    error: FrameworkErrors.RequestHeaderFieldsTooLarge,
    request: "GET /api/nowhere with a 20 KB header (over ERRATA_MAX_HEADER_BYTES, 16 KiB by default)",
    produce: (kit) => kit.wire(`GET /api/nowhere HTTP/1.1\r\nhost: x\r\nx-padding: ${"a".repeat(20_000)}\r\n\r\n`)
  },
  // 422
  {
    error: Errors.UnprocessableEntity,
    request: "POST /api/admin/users again with the same Idempotency-Key and another body",
    produce: (kit) =>
      Effect.gen(function*() {
        const keyed = (email: string) =>
          Effect.flatMap(
            withAdmin(json("POST", "/api/admin/users", newUser(email)).pipe(HttpClientRequest.setHeader("idempotency-key", "k-422"))),
            (request) => ServerTesting.send(request)
          )
        yield* keyed("first@example.com")
        return yield* Effect.flatMap(
          withAdmin(json("POST", "/api/admin/users", newUser("second@example.com")).pipe(
            HttpClientRequest.setHeader("idempotency-key", "k-422")
          )),
          kit.raw
        )
      })
  },
  {
    error: Errors.UnprocessableEntity,
    request: "POST /api/admin/users/{id}/roles with a role of an organization the user is not a member of",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const organization = yield* client.organizations.create({ payload: { name: "Other" } })
        const role = yield* client.roles.create({ path: { id: organization.id }, payload: { name: "admin" } })
        const { user } = yield* kit.user("uma@example.com")
        return yield* client.roles.assign({ path: { id: user.id }, payload: { roleId: role.id } })
      })
  },
  {
    error: Errors.InvalidEmail,
    request: "POST /api/admin/users with email `not-an-email`",
    // Sent raw: the client checks the same rule before sending, and would not send it.
    produce: (kit) =>
      Effect.flatMap(withAdmin(json("POST", "/api/admin/users", JSON.stringify({ email: "not-an-email", name: "N", password }))), kit.raw)
  },
  {
    error: Errors.InvalidPassword,
    request: "POST /api/admin/users with password `short`",
    produce: (kit) =>
      Effect.flatMap(withAdmin(json("POST", "/api/admin/users", JSON.stringify({ email: "pw@example.com", name: "P", password: "short" }))), kit.raw)
  },
  {
    error: Errors.ImportFailed,
    request: "GET /api/admin/jobs/{id} of an import (POST /api/admin/jobs/imports) whose row has email `not-an-email`",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        const job = yield* client.jobs.createImport({
          payload: { format: "ndjson", text: JSON.stringify({ email: "not-an-email", name: "N", password }) }
        })
        return yield* kit.ended(job.id)
      })
  },
  // 429
  {
    error: Errors.RateLimitExceeded,
    request: "a third request within a minute where ERRATA_RATE_LIMIT=2",
    service: { rateLimit: 2 },
    produce: (kit) =>
      Effect.gen(function*() {
        yield* Effect.flip(kit.raw(HttpClientRequest.get("/api/nowhere")))
        yield* Effect.flip(kit.raw(HttpClientRequest.get("/api/nowhere")))
        return yield* kit.raw(HttpClientRequest.get("/api/nowhere"))
      })
  },
  // 500
  {
    error: Errors.InternalError,
    request: "GET /api/admin/users/{id} of a user whose stored status the service does not know (a broken row: a defect)",
    service: ownDatabase,
    produce: (kit) =>
      Effect.gen(function*() {
        const administrator = yield* kit.administrator
        const { user } = yield* kit.user("row@example.com")
        yield* onDatabase((sql) => sql`UPDATE users SET status = 'bogus' WHERE id = ${user.id}`)
        return yield* administrator.users.get({ path: { id: user.id } })
      })
  },
  {
    error: Errors.DatabaseError,
    request: "PUT /api/admin/users/{id}/status while another connection holds the database's write lock",
    service: ownDatabase,
    produce: (kit) =>
      Effect.gen(function*() {
        const administrator = yield* kit.administrator
        const { user } = yield* kit.user("locked@example.com")
        yield* holdingWriteLock
        return yield* administrator.users.setStatus({ path: { id: user.id }, payload: { status: "suspended" } })
      }).pipe(Effect.scoped)
  },
  {
    error: Errors.ServerError,
    request: "POST /oauth/token while another connection holds the database's write lock (OAuth's server_error)",
    service: ownDatabase,
    answeredIn: WireFormat.OAuthStyle,
    produce: (kit) =>
      Effect.gen(function*() {
        yield* holdingWriteLock
        return yield* (yield* kit.client()).oauth.token({
          payload: new OAuth.ClientCredentialsGrant({ grantType: "client_credentials", ...adminCredentials })
        })
      }).pipe(Effect.scoped)
  },
  {
    error: Errors.JobFailed,
    request: "GET /api/admin/jobs/{id} of an export job (POST /api/admin/jobs/exports) where no destination is configured",
    service: {},
    produce: (kit) =>
      Effect.gen(function*() {
        const job = yield* (yield* kit.administrator).jobs.createExport()
        return yield* kit.ended(job.id)
      })
  },
  {
    error: Errors.ExportFailed,
    request: "GET /api/admin/jobs/{id} of an export job whose destination (ERRATA_EXPORT_URL) answers 500",
    produce: (kit) =>
      Effect.gen(function*() {
        upstream.mode = "error"
        const job = yield* (yield* kit.administrator).jobs.createExport()
        return yield* kit.ended(job.id)
      })
  },
  // 502, 503, 504
  {
    error: Errors.BadGateway,
    request: "POST /api/admin/exports while the destination answers HTML instead of JSON",
    produce: (kit) =>
      Effect.gen(function*() {
        upstream.mode = "garbage"
        return yield* (yield* kit.administrator).exports.create()
      })
  },
  {
    error: Errors.Timeout,
    request: "POST /api/admin/exports while the destination does not answer (ERRATA_UPSTREAM_TIMEOUT; 500 ms here)",
    produce: (kit) =>
      Effect.gen(function*() {
        upstream.mode = "hang"
        return yield* (yield* kit.administrator).exports.create()
      })
  },
  // 503
  {
    error: Errors.ServiceUnavailable,
    request: "any request after PUT /api/admin/maintenance {\"enabled\":true}",
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        yield* client.maintenance.set({ payload: { enabled: true } })
        const answer = yield* Effect.flip(client.users.list({ urlParams: {} }))
        // Off again for the next rows, by a request the kit does not record.
        yield* ServerTesting.send(yield* withAdmin(json("PUT", "/api/admin/maintenance", "{\"enabled\":false}")))
        return yield* Effect.fail(answer)
      })
  },
  {
    error: Errors.ServiceUnavailable,
    request: "any request while ERRATA_MAX_CONCURRENT requests (1 here) are in flight",
    service: { maxConcurrent: 1 },
    produce: (kit) =>
      Effect.gen(function*() {
        const client = yield* kit.administrator
        yield* stalledRequest
        return yield* client.users.list({ urlParams: {} })
      }).pipe(Effect.scoped)
  }
]

const classOf = (row: Row, format: WireFormat.Any) => typeof row.error === "function" && !("metadata" in row.error)
  ? (row.error as (format: WireFormat.Any) => CatalogError.AnyClass)(format)
  : row.error as CatalogError.AnyClass

const check = (row: Row, format: WireFormat.Any) =>
  Effect.gen(function*() {
    const kit = yield* makeKit
    const expected = classOf(row, format)
    const error = yield* Effect.flip(row.produce(kit))
    assert.instanceOf(error, expected, `${row.request}: ${JSON.stringify(error)}`)
    const recorded = kit.last()
    assert.isDefined(recorded, row.request)
    const { status } = CatalogError.metadataOf(error as CatalogError.CatalogError)
    assert.strictEqual(recorded!.status, status, row.request)
    assert.match(recorded!.headers["x-request-id"] ?? "", /^req_[0-9a-f]{32}$/, row.request)
    if (status === 429 || status === 503) assert.match(recorded!.headers["retry-after"] ?? "", /^[1-9]\d*$/, row.request)
    if (status === 401) assert.match(recorded!.headers["www-authenticate"] ?? "", /^(Bearer|Basic) /, row.request)
    const body = JSON.parse(recorded!.body)
    Testing.checkJsonSchema((row.answeredIn ?? format).jsonSchema(expected), body, `${row.request}: the body`)
    // The body matches what the service's own OpenAPI document says of that endpoint, status and content type.
    // Every service has the same operations (`operations`, fetched before the row's requests); which responses
    // each documents depends on its configuration, so that of the row's service is fetched when needed.
    const { method, url } = recorded!.request
    if (OpenApiDocument.operationOf(operations, method, url) === undefined) return false
    return OpenApiDocument.assertConforms(yield* OpenApiDocument.fetch, recorded!, row.request)
  })

/** The OpenAPI document of the format's shared service, for its operations. */
let operations: OpenApiDocument.Document

/**
 * The rows answered outside the document's operations: a route beside the API, a method the path lacks, requests
 * the HTTP server refuses before any route.
 */
const undocumented = [
  "GET /api/nowhere with a bare CR in a header value (refused by Node's HTTP parser)",
  "GET /api/nowhere",
  "PATCH /api/admin/users",
  "GET /api/nowhere whose headers do not all arrive within ERRATA_HEADERS_TIMEOUT (1 s here)",
  "POST /api/admin/users with Expect: 200-ok (only 100-continue is an expectation)",
  "GET /api/nowhere with a 20 KB header (over ERRATA_MAX_HEADER_BYTES, 16 KiB by default)",
  "a third request within a minute where ERRATA_RATE_LIMIT=2"
]

/** The README's table of every code: built from the rows, so that the two cannot drift apart. */
export const readmeTable = (): string => {
  const lines = ["| code | status | a request that produces it |", "| --- | --- | --- |"]
  for (const cls of Catalog.builtin.errors) {
    for (const row of rows) {
      const formats = BuiltinFormats.all.filter((format) => classOf(row, format) === cls)
      if (formats.length === 0) continue
      const where = formats.length === BuiltinFormats.all.length ? "" : ` (in ${formats.map((format) => format.name).join(", ")})`
      lines.push(`| \`${cls.metadata.code}\` | ${cls.metadata.status} | ${row.request}${where} |`)
    }
  }
  return lines.join("\n")
}

describe("Every catalog error, produced by a real request", () => {
  it("is listed in the README's table, as the rows say", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8")
    assert.include(readme, readmeTable(), "README.md's table differs from the rows; print readmeTable() and paste it")
  })

  it("has a row for every class of the catalog", () => {
    const covered = new Set(BuiltinFormats.all.flatMap((format) => rows.map((row) => classOf(row, format))))
    const missing = Catalog.builtin.errors.filter((cls) => !covered.has(cls)).map((cls) => cls.metadata.code)
    assert.deepStrictEqual(missing, [])
  })

  for (const format of BuiltinFormats.all) {
    it.live(`each row answers as its class says, in ${format.name}`, () =>
      Effect.gen(function*() {
        upstream = yield* Upstream.make()
        const options = { errata: { format, alternatives: [] }, exportUrl: upstream.url, upstreamTimeout: "500 millis" } as const
        const shared = yield* Layer.build(service(options))
        operations = yield* Effect.provide(OpenApiDocument.fetch, shared)
        const outside: Array<string> = []
        for (const row of rows) {
          const documented = yield* row.service === undefined
            ? Effect.provide(check(row, format), shared)
            : Effect.flatMap(
              Effect.isEffect(row.service) ? row.service : Effect.succeed<ServiceOptions>(row.service),
              (options) => Effect.provide(check(row, format), service({ errata: { format, alternatives: [] }, ...options }))
            )
          if (!documented) outside.push(row.request)
        }
        assert.deepStrictEqual(outside, undocumented)
      }).pipe(Effect.scoped), { timeout: 120_000 })
  }
})
