import { HttpApiBuilder, HttpClientRequest, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { ErrataApi, OAuth, WireFormat } from "@errata/domain"
import { NotFound } from "@errata/domain/Errors"
import { MethodNotAllowed } from "@errata/domain/FrameworkErrors"
import { ErrataConfig, ErrataServer } from "@errata/server"
import { Effect, Layer, Logger, LogLevel } from "effect"
import * as RouteTable from "../src/internal/routeTable.js"
import type { Testing } from "@errata/server"
import { SecureGroup } from "./fixtures/SecureServer.js"
import { assertAnswers, json, send, TestApi, TestHandlers, testServer } from "./fixtures/TestServer.js"

/** Routes beside the API's: a health check, a mounted app, and a long poll that outlasts the handler deadline. */
const besideTheApi = HttpApiBuilder.Router.use((router) =>
  Effect.all([
    router.get("/health", HttpServerResponse.text("ok")),
    router.mountApp("/static", HttpServerResponse.text("static")),
    router.get("/long-poll", Effect.as(Effect.sleep("1500 millis"), HttpServerResponse.text("news")))
  ]))

const format = WireFormat.OAuthDetails
const requestId = "req_route_0001"

const assertAnswer = assertAnswers(format, requestId)

const logs: Array<Testing.LogEntry> = []

// The server keeps the real clock: the long poll sleeps in real time.
layer(testServer({ config: { format }, routes: besideTheApi, logs }), { excludeTestServices: true })("ErrataServer routing", (it) => {
  it.effect("serves routes and mounts added beside the API", () =>
    Effect.gen(function*() {
      const health = yield* send(HttpClientRequest.get("/health"))
      assert.strictEqual(health.status, 200)
      assert.strictEqual(health.body, "ok")
      assert.match(health.headers["x-request-id"] ?? "", /^req_[0-9a-f]{32}$/)
      const mounted = yield* send(HttpClientRequest.get("/static/app.js?v=1"))
      assert.strictEqual(mounted.status, 200)
      assert.strictEqual(mounted.body, "static")
    }))

  it.effect("leaves routes beside the API their own time: the handler deadline (1 s here) is for handlers", () =>
    Effect.gen(function*() {
      const answer = yield* send(HttpClientRequest.get("/long-poll"))
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.body, "news")
    }))

  it.effect("answers a wrong method on a route beside the API with 405 and Allow", () =>
    Effect.gen(function*() {
      const answer = yield* assertAnswer(
        HttpClientRequest.post("/health"),
        new MethodNotAllowed({ message: "This endpoint supports GET" })
      )
      assert.strictEqual(answer.headers["allow"], "GET")
    }))

  it.effect("serves HEAD on a GET route, and paths the router matches loosely (case, trailing slash)", () =>
    Effect.gen(function*() {
      const head = yield* send(HttpClientRequest.head("/items/known"))
      assert.strictEqual(head.status, 200)
      const loose = yield* send(HttpClientRequest.get("/ITEMS/known/"))
      assert.strictEqual(loose.status, 200)
      assert.strictEqual(loose.body, "\"an item\"")
    }))

  it.effect("answers an unknown route with 404 before looking at the body", () =>
    assertAnswer(json("POST", "/no/such/route", "name=Ann", "text/plain"), new NotFound({ message: "No such endpoint" })))

  it.effect("routes a parameter of any length to its handler, as the table does (the router's default stops at 100)", () =>
    assertAnswer(HttpClientRequest.get(`/items/${"x".repeat(150)}`), new NotFound({ message: `No item ${"x".repeat(150)}` })))

  it.effect("logs a 404 it answers itself like any other error response", () =>
    Effect.gen(function*() {
      logs.length = 0
      yield* send(HttpClientRequest.get("/nowhere?q=1").pipe(HttpClientRequest.setHeader("x-request-id", requestId)))
      assert.strictEqual(logs.length, 1)
      assert.deepStrictEqual(logs[0]!.annotations, {
        error_code: "not_found",
        status: 404,
        request_id: requestId,
        method: "GET",
        path: "/nowhere"
      })
    }))
})

describe("RouteTable", () => {
  const table = RouteTable.make(HttpRouter.empty.pipe(
    HttpRouter.get("/users/:id", HttpServerResponse.empty()),
    HttpRouter.del("/users/:id", HttpServerResponse.empty()),
    HttpRouter.all("/any", HttpServerResponse.empty()),
    HttpRouter.mountApp("/files", HttpServerResponse.empty())
  ), new Map())
  const serves = (method: string, url: string) => table.find(method, url) !== undefined

  it("lets through what a route or mount may serve, HEAD included where GET is", () => {
    assert.isTrue(serves("GET", "/users/1?x=y"))
    assert.isTrue(serves("HEAD", "/users/1"))
    assert.isTrue(serves("PATCH", "/any"))
    assert.isTrue(serves("POST", "/files/a/b"))
    assert.isTrue(serves("GET", "/files"))
    assert.isTrue(serves("GET", `/users/${"x".repeat(1000)}`))
  })

  it("reads what the middleware needs of each endpoint from the contract: content types, format, scopes, key", () => {
    const endpoints = RouteTable.endpointsOf(ErrataApi.make("t").add(OAuth.Group).add(SecureGroup))
    const token = endpoints.get("POST /oauth/token")!
    assert.deepStrictEqual([...token.contentTypes], ["application/x-www-form-urlencoded"])
    assert.strictEqual(token.format, WireFormat.OAuthStyle)
    assert.deepStrictEqual(endpoints.get("POST /orders")!.scopes, ["orders:write"])
    assert.deepStrictEqual([...endpoints.get("POST /orders")!.contentTypes], ["application/json"])
    assert.isUndefined(endpoints.get("POST /orders")!.format)
    assert.isTrue(endpoints.get("POST /strict")!.keyRequired)
    assert.isFalse(endpoints.get("POST /orders")!.keyRequired)
  })

  it("refuses what nothing serves, and says which methods the path has", () => {
    assert.isFalse(serves("PUT", "/users/1"))
    assert.deepStrictEqual(table.allowedMethods("/users/1"), ["GET", "DELETE"])
    assert.isFalse(serves("GET", "/filesystem"))
    assert.isFalse(serves("GET", "/users"))
    assert.deepStrictEqual(table.allowedMethods("/users"), [])
    assert.isFalse(serves("GET", "/users/%E0%A4%A"))
  })
})

describe("ErrataServer under HttpApiBuilder.toWebHandler", () => {
  it("shares the router with the handler: known routes served, unknown ones answered in the format", async () => {
    const { dispose, handler } = HttpApiBuilder.toWebHandler(
      Layer.mergeAll(
        ErrataServer.layer(TestApi).pipe(
          Layer.provide(TestHandlers),
          Layer.provide(ErrataConfig.layer({ format: WireFormat.CodeMessage }))
        ),
        HttpServer.layerContext,
        Logger.minimumLogLevel(LogLevel.None)
      )
    )
    try {
      const known = await handler(new Request("http://localhost/items/known"))
      assert.strictEqual(known.status, 200)
      assert.strictEqual(await known.text(), "\"an item\"")
      const unknown = await handler(new Request("http://localhost/no/such/route", { headers: { "x-request-id": requestId } }))
      const wire = WireFormat.CodeMessage.encode(new NotFound({ message: "No such endpoint" }), { requestId })
      assert.strictEqual(unknown.status, 404)
      assert.strictEqual(await unknown.text(), wire.body)
    } finally {
      await dispose()
    }
  })
})
