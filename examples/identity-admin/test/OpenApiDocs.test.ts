import { HttpClient, HttpClientRequest } from "@effect/platform"
import type { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it, layer } from "@effect/vitest"
import { BuiltinFormats, WireFormat } from "@errata/domain"
import { ErrataConfig, OpenApiDocs, Testing } from "@errata/server"
import { Validator } from "@seriousme/openapi-schema-validator"
import { Effect, Layer } from "effect"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { AdminApi } from "../src/Api.js"
import { documentInfo } from "../src/IdentityAdmin.js"
import * as OpenApiDocument from "./fixtures/OpenApiDocument.js"
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

  it.effect("names the service: its title, version and description", () =>
    Effect.gen(function*() {
      const document = yield* spec
      assert.deepStrictEqual(document.info, documentInfo)
      assert.deepStrictEqual(document.info.title, "Identity Admin API")
      const page = yield* Testing.send(HttpClientRequest.get("/docs"))
      assert.include(page.body, "<title>Identity Admin API</title>")
    }))

  it.effect("describes fields for people: constraints as keywords, none of Effect's own wording", () =>
    Effect.gen(function*() {
      const text = (yield* Testing.send(HttpClientRequest.get("/openapi.json"))).body
      for (const internal of ["maxLength(", "minLength(", "maxItems(", "\"int\"", "a string", "an integer", "character(s)", "decoded into", "Redacted("]) {
        assert.notInclude(text, internal)
      }
      const document = JSON.parse(text)
      assert.deepStrictEqual(document.components.schemas.CreateUser.properties.password, { type: "string", maxLength: 256 })
      assert.deepStrictEqual(document.components.schemas.DateTimeUtc, { type: "string", format: "date-time" })
      const list = document.paths["/api/admin/users"].get.parameters
      assert.deepStrictEqual(list.find((one: any) => one.name === "limit").schema, { type: "integer", minimum: 1, maximum: 100 })
      assert.deepStrictEqual(list.find((one: any) => one.name === "offset").schema, { type: "integer", minimum: 0 })
      const id = document.paths["/api/admin/users/{id}"].get.parameters[0]
      assert.deepStrictEqual(id.schema, {
        type: "string",
        description: "A user's id",
        minLength: 1,
        maxLength: 64,
        pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      })
    }))

  it.effect("gives each error an example in each format: what that format sends for it, and nothing else", () =>
    Effect.gen(function*() {
      const document = yield* spec
      const get = document.paths["/api/admin/users/{id}"].get.responses["404"].content
      assert.deepStrictEqual(Object.keys(get), ["application/json", "application/problem+json"])
      assert.deepStrictEqual(get["application/json"].examples.user_not_found.value, {
        error: "user_not_found",
        error_description: "User not found",
        request_id: "req_4bf92f3577b34da6a3ce929d0e0e4736",
        user_id: "example"
      })
      assert.deepStrictEqual(get["application/problem+json"].examples.user_not_found.value, {
        type: "/errors/user_not_found",
        title: "User not found",
        status: 404,
        detail: "User not found",
        code: "user_not_found",
        request_id: "req_4bf92f3577b34da6a3ce929d0e0e4736",
        user_id: "example"
      })
      const create = document.paths["/api/admin/users"].post.responses
      assert.deepStrictEqual(create["422"].content["application/json"].examples.validation_error.value.details, {
        email: "email is required"
      })
      assert.deepStrictEqual(create["429"].content["application/json"].examples.rate_limit_exceeded.value.retry_after, 1)
      let examples = 0
      for (const operations of Object.values<any>(document.paths)) {
        for (const operation of Object.values<any>(operations)) {
          for (const [status, response] of Object.entries<any>(operation.responses)) {
            if (Number(status) < 400) continue
            for (const [contentType, media] of Object.entries<any>(response.content)) {
              const codes = (media.schema.oneOf ?? [media.schema]).map((one: any) =>
                (one.properties.error?.const ?? one.properties.code?.const) as string
              )
              const where = `${operation.operationId} ${status} ${contentType}`
              assert.deepStrictEqual(Object.keys(media.examples), codes, where)
              for (const [code, { value }] of Object.entries<any>(media.examples)) {
                OpenApiDocument.checkSchema(document, media.schema, value, `${where} ${code}'s example`)
                const members = Object.keys(value)
                assert.notInclude(members, "debug", where)
                assert.notInclude(members, "instance", where)
                if (status !== "429" && status !== "503") assert.notInclude(members, "retry_after", where)
                const fieldErrors = contentType === "application/json" ? "details" : "errors"
                if (code !== "validation_error") assert.notInclude(members, fieldErrors, `${where} ${code}`)
                examples++
              }
            }
          }
        }
      }
      assert.isAbove(examples, 0)
    }), 60_000)

  it.effect("passes an OpenAPI 3.1 validator of another party, in every format", () =>
    Effect.gen(function*() {
      const served = yield* spec
      const documents = [
        served,
        ...BuiltinFormats.all.map((format) =>
          OpenApiDocs.make(AdminApi, ErrataConfig.resolve({ format }), { rateLimited: true, idempotent: true, ...documentInfo })
        )
      ]
      for (const document of documents) {
        const result = yield* Effect.promise(() => new Validator().validate(document))
        assert.isTrue(result.valid, JSON.stringify(result.errors)?.slice(0, 2000))
      }
    }), 60_000)

  it.effect("sends the docs page and the document compressed, with an ETag a repeat load revalidates", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const fetch = (path: string, headers: Record<string, string>) =>
        Effect.scoped(Effect.flatMap(client.execute(HttpClientRequest.get(path).pipe(HttpClientRequest.setHeaders(headers))), (response) =>
          Effect.map(response.arrayBuffer, (body) => ({ status: response.status, headers: response.headers, body: Buffer.from(body) }))))
      for (const path of ["/docs", "/openapi.json"]) {
        const plain = yield* fetch(path, {})
        assert.strictEqual(plain.status, 200)
        assert.isUndefined(plain.headers["content-encoding"])
        assert.strictEqual(plain.headers["cache-control"], "no-cache")
        assert.strictEqual(plain.headers["vary"], "accept-encoding")
        for (const [accept, encoding] of [["gzip, deflate, br", "br"], ["gzip", "gzip"], ["br;q=0.5, gzip", "gzip"], ["br;q=0, gzip;q=0", undefined]] as const) {
          const answer = yield* fetch(path, { "accept-encoding": accept })
          assert.strictEqual(answer.headers["content-encoding"], encoding, `${path}, Accept-Encoding: ${accept}`)
          const body = encoding === "br" ? brotliDecompressSync(answer.body) : encoding === "gzip" ? gunzipSync(answer.body) : answer.body
          assert.isTrue(body.equals(plain.body), `${path}, Accept-Encoding: ${accept}: the same bytes`)
          if (encoding !== undefined) assert.isBelow(answer.body.length, plain.body.length / 3)
          const again = yield* fetch(path, { "accept-encoding": accept, "if-none-match": answer.headers["etag"]! })
          assert.strictEqual(again.status, 304)
          assert.strictEqual(again.body.length, 0)
          assert.strictEqual(again.headers["etag"], answer.headers["etag"])
        }
      }
    }), 60_000)
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
