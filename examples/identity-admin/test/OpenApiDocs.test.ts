import { HttpClientRequest } from "@effect/platform"
import type { HttpClient, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, layer } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { Testing } from "@errata/server"
import { Effect, Layer } from "effect"
import { service as server } from "./fixtures/Service.js"

const spec = Effect.map(Testing.send(HttpClientRequest.get("/openapi.json")), (answer) => JSON.parse(answer.body))

/** The codes a response documents, in the given content type. */
const codes = (response: any, contentType: string, member = "error") => {
  const schema = response.content[contentType].schema
  return (schema.oneOf ?? [schema]).map((one: any) => one.properties[member].const)
}

layer(server({ rateLimit: 600 }), { excludeTestServices: true })("OpenAPI in oauth-details, rate limited", (it) => {
  it.effect("documents each endpoint's own errors and the framework's that apply, in the wire format", () =>
    Effect.gen(function*() {
      const document = yield* spec
      const create = document.paths["/api/admin/users"].post.responses
      assert.deepStrictEqual(
        Object.keys(create),
        ["201", "400", "401", "403", "409", "413", "415", "422", "429", "500", "503", "504"]
      )
      assert.deepStrictEqual(codes(create["400"], "application/json"), ["invalid_json", "invalid_request"])
      assert.deepStrictEqual(codes(create["401"], "application/json"), [
        "unauthorized",
        "invalid_token",
        "token_expired",
        "token_revoked",
        "session_expired"
      ])
      assert.deepStrictEqual(codes(create["403"], "application/json"), [
        "csrf_validation_failed",
        "account_disabled",
        "user_suspended",
        "user_locked",
        "client_disabled",
        "insufficient_scope",
        "forbidden"
      ])
      assert.deepStrictEqual(codes(create["409"], "application/json"), ["email_already_exists", "conflict"])
      assert.deepStrictEqual(codes(create["422"], "application/json"), [
        "invalid_email",
        "invalid_password",
        "validation_error",
        "unprocessable_entity"
      ])
      assert.deepStrictEqual(codes(create["500"], "application/json"), ["database_error", "internal_error"])
      assert.deepStrictEqual(codes(create["422"], "application/problem+json", "code"), [
        "invalid_email",
        "invalid_password",
        "validation_error",
        "unprocessable_entity"
      ])
      assert.deepStrictEqual(
        Object.keys(create["422"].content["application/json"].schema.oneOf[2].properties),
        ["error", "error_description", "details", "retry_after", "request_id", "debug"]
      )

      const get = document.paths["/api/admin/users/{id}"].get.responses
      assert.deepStrictEqual(Object.keys(get), ["200", "401", "403", "404", "413", "422", "429", "500", "503", "504"])
      assert.deepStrictEqual(codes(get["404"], "application/json"), ["user_not_found"])
      assert.include(codes(get["403"], "application/json"), "access_denied")
      assert.strictEqual(get["404"].content["application/json"].schema.properties.user_id.type, "string")
    }))

  it.effect("documents X-Request-ID on every response and Retry-After on 429", () =>
    Effect.gen(function*() {
      const document = yield* spec
      for (const operations of Object.values<any>(document.paths)) {
        for (const operation of Object.values<any>(operations)) {
          for (const [status, response] of Object.entries<any>(operation.responses)) {
            assert.property(response.headers, "X-Request-ID", `${operation.operationId} ${status}`)
            if (status === "429") assert.property(response.headers, "Retry-After")
          }
        }
      }
    }))

  it.effect("shows no phantom errors: no _tag bodies, no HttpApiDecodeError, no other format's validation code", () =>
    Effect.gen(function*() {
      const text = (yield* Testing.send(HttpClientRequest.get("/openapi.json"))).body
      assert.notInclude(text, "_tag")
      assert.notInclude(text, "HttpApiDecodeError")
      const { paths } = JSON.parse(text)
      for (const [path, operations] of Object.entries(paths)) {
        // The token endpoint answers in RFC 6749's shape, whose validation error is validation_failed.
        if (!path.startsWith("/oauth/")) assert.notInclude(JSON.stringify(operations), "\"validation_failed\"", path)
      }
    }))

  it.effect("shows the scopes each endpoint requires in its security requirement, and who needs no token", () =>
    Effect.gen(function*() {
      const document = yield* spec
      const security = (path: string, method: string) => document.paths[path][method].security
      assert.deepStrictEqual(security("/api/admin/users", "post"), [{ bearer: ["users:write"] }])
      assert.deepStrictEqual(security("/api/admin/users", "get"), [{ bearer: ["users:read"] }])
      assert.deepStrictEqual(security("/api/admin/clients", "post"), [{ bearer: ["clients:write"] }])
      assert.deepStrictEqual(security("/api/session", "get"), [{ bearer: [] }])
      for (const [path, method] of [["/oauth/token", "post"], ["/api/session", "post"], ["/health", "get"]] as const) {
        assert.deepStrictEqual(security(path, method), [], path)
      }
      assert.strictEqual(document.components.securitySchemes.bearer.scheme, "bearer")
      // The token endpoint answers in RFC 6749's shape whatever the server's format.
      const token = document.paths["/oauth/token"].post
      assert.deepStrictEqual(codes(token.responses["401"], "application/json"), [
        "unauthorized_client",
        "invalid_credentials",
        "invalid_token",
        "token_expired",
        "token_revoked"
      ])
      const unauthorizedClient = token.responses["401"].content["application/json"].schema.oneOf[0]
      assert.deepStrictEqual(unauthorizedClient.required, ["error", "error_description"])
      assert.notProperty(unauthorizedClient.properties, "request_id")
      assert.property(token.requestBody.content, "application/x-www-form-urlencoded")
      // Idempotency-Key where the server keeps keys, and not where the answer holds a secret.
      const keyOf = (operation: any) => (operation.parameters ?? []).find((p: any) => p.name === "Idempotency-Key")
      assert.deepInclude(keyOf(document.paths["/api/admin/users"].post), { in: "header", required: false })
      assert.isUndefined(keyOf(document.paths["/api/admin/users"].get))
      assert.isUndefined(keyOf(token))
      assert.isUndefined(keyOf(document.paths["/api/session"].post))
    }))

  it.effect("serves a docs page", () =>
    Effect.gen(function*() {
      const answer = yield* Testing.send(HttpClientRequest.get("/docs"))
      assert.strictEqual(answer.status, 200)
      assert.include(answer.headers["content-type"]!, "text/html")
      assert.include(answer.body, "email_already_exists")
      assert.notMatch(answer.body, /<script[^>]+src=/)
      assert.include(answer.body, "\"withDefaultFonts\":false")
    }))
})

layer(server({ errata: { format: WireFormat.OAuthStyle } }), { excludeTestServices: true })(
  "OpenAPI in oauth-style, not rate limited",
  (it) => {
    it.effect("uses the format's own validation code and status, and shows no 429", () =>
      Effect.gen(function*() {
        const document = yield* spec
        const create = document.paths["/api/admin/users"].post.responses
        assert.deepStrictEqual(Object.keys(create), ["201", "400", "401", "403", "409", "413", "415", "422", "500", "503", "504"])
        assert.deepStrictEqual(codes(create["400"], "application/json"), ["validation_failed", "bad_request", "invalid_request"])
        assert.deepStrictEqual(codes(create["422"], "application/json"), ["invalid_email", "invalid_password", "unprocessable_entity"])
        assert.notInclude(JSON.stringify(document), "rate_limit_exceeded")
      }))
  }
)
