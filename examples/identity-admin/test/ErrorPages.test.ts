/**
 * The reference service's error reference, where its problem types point: `/errors` and a page per code, open
 * without a token, as HTML for a browser and JSON for a program; the `type` of a real error resolves on the same
 * server, and an unknown code is answered like any unknown route.
 */
import { HttpClientRequest } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { Catalog } from "@errata/domain"
import { Testing } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "../src/Api.js"
import { adminToken, service, withToken } from "./fixtures/Service.js"

const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

const get = (url: string, accept: string) =>
  Testing.send(HttpClientRequest.get(url).pipe(HttpClientRequest.accept(accept)))

layer(service(), { excludeTestServices: true })("identity-admin: the error reference", (it) => {
  it.effect("lists every error of the API", () =>
    Effect.gen(function*() {
      const answer = yield* get("/errors", "application/json")
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.headers["content-type"], "application/json")
      const codes = JSON.parse(answer.body).errors.map((entry: { code: string }) => entry.code)
      for (const cls of Catalog.fromApi(AdminApi).errors) assert.include(codes, cls.metadata.code)

      const html = yield* get("/errors", browser)
      assert.strictEqual(html.headers["content-type"], "text/html; charset=utf-8")
      for (const code of codes) assert.include(html.body, `href="/errors/${code}"`)
    }))

  it.effect("describes user_not_found to a browser", () =>
    Effect.gen(function*() {
      const answer = yield* get("/errors/user_not_found", browser)
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.headers["content-type"], "text/html; charset=utf-8")
      assert.include(answer.body, "<title>User not found (user_not_found)</title>")
      assert.include(answer.body, "<h1>User not found</h1>")
      assert.include(answer.body, "<dd>404 Not Found</dd>")
      assert.include(answer.body, "<h2>Description</h2>\n<p>User not found</p>")
      assert.include(answer.body, "<h2>Resolution</h2>\n<p>Verify the user ID exists</p>")
      assert.include(answer.body, "<code>oauth-details</code> (the server's format)")
      assert.notMatch(answer.body, /<script|<link|src=/i)
    }))

  it.effect("describes user_not_found as JSON, with the body the service sends for it", () =>
    Effect.gen(function*() {
      const answer = yield* get("/errors/user_not_found", "application/json")
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.headers["content-type"], "application/json")
      const { formats, ...entry } = JSON.parse(answer.body)
      assert.deepStrictEqual(entry, {
        code: "user_not_found",
        title: "User not found",
        status: 404,
        category: "not_found",
        retry: "never",
        retryable: "No",
        description: "User not found",
        resolution: "Verify the user ID exists",
        type: "/errors/user_not_found"
      })
      const names = formats.map((format: { name: string }) => format.name)
      assert.deepStrictEqual(names, ["oauth-details", "problem-details"])
      const example = formats[0].example
      assert.strictEqual(example.status, 404)
      assert.match(example.headers["x-request-id"], /^req_[0-9a-f]{32}$/)
      assert.deepStrictEqual(example.body, {
        error: "user_not_found",
        error_description: "User not found",
        request_id: example.headers["x-request-id"],
        user_id: "example"
      })
      assert.strictEqual(formats[1].example.body.type, "/errors/user_not_found")
    }))

  it.effect("answers an unknown code not_found in the service's format, without the code", () =>
    Effect.gen(function*() {
      const answer = yield* Testing.send(
        HttpClientRequest.get("/errors/user_not_foundd").pipe(
          HttpClientRequest.setHeader("x-request-id", "req_pages_1")
        )
      )
      assert.strictEqual(answer.status, 404)
      assert.strictEqual(answer.headers["content-type"], "application/json")
      assert.strictEqual(answer.headers["x-request-id"], "req_pages_1")
      assert.strictEqual(
        answer.body,
        `{"error":"not_found","error_description":"No error has this code","request_id":"req_pages_1"}`
      )
    }))

  it.effect("resolves the type of a real RFC 9457 answer", () =>
    Effect.gen(function*() {
      const token = yield* adminToken()
      const failed = yield* Testing.send(
        HttpClientRequest.get("/api/admin/users/usr_nobody").pipe(
          withToken(token),
          HttpClientRequest.accept("application/problem+json")
        )
      )
      assert.strictEqual(failed.status, 404)
      assert.strictEqual(failed.headers["content-type"], "application/problem+json")
      const { type } = JSON.parse(failed.body)
      assert.strictEqual(type, "/errors/user_not_found")
      const page = yield* get(type, browser)
      assert.strictEqual(page.status, 200)
      assert.include(page.body, "<h1>User not found</h1>")
      const unauthenticated = JSON.parse((yield* get("/api/admin/users", "application/problem+json")).body)
      assert.strictEqual((yield* get(unauthenticated.type, "application/json")).status, 200)
    }))
})
