import { HttpApiBuilder, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import type { CatalogError } from "@errata/domain"
import { BuiltinFormats, WireFormat } from "@errata/domain"
import { BadRequest, ServiceUnavailable } from "@errata/domain/Errors"
import { ExpectationFailed, RequestHeaderFieldsTooLarge, RequestTimeout } from "@errata/domain/FrameworkErrors"
import { ErrataConfig, ErrataServer, NodeServer, Testing } from "@errata/server"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Scope } from "effect"
import { createConnection } from "node:net"
import { TestApi, TestHandlers } from "./fixtures/TestServer.js"

/** A resource the routes use, acquired before the server: it must still be open while the requests in flight end. */
class Resource extends Context.Tag("test/Resource")<Resource, { open: boolean }>() {}

const resourceLayer = (resource: { open: boolean }) =>
  Layer.scoped(
    Resource,
    Effect.acquireRelease(Effect.succeed(resource), (resource) => Effect.sync(() => void (resource.open = false)))
  )

/** The signals between a test and the routes beside the API. */
interface Signals {
  /** Completed by the test to let `/wait` answer. */
  readonly release: Deferred.Deferred<void>
  /** How many `/wait` handlers were interrupted. */
  interrupted: number
  /** Whether the resource was open when `/wait` answered. */
  sawOpen?: boolean
}

/** `/wait`, which answers once the test releases it, and says whether the resource is still open. */
const routes = (signals: Signals) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.flatMap(Resource, (resource) =>
      router.get(
        "/wait",
        Effect.gen(function*() {
          yield* Deferred.await(signals.release)
          signals.sawOpen = resource.open
          return HttpServerResponse.text(resource.open ? "open" : "closed")
        }).pipe(Effect.onInterrupt(() => Effect.sync(() => void signals.interrupted++)))
      )
    )
  )

/** The test API and `/wait` on `NodeServer.layerTest`, on the resource, logging into `logs`. */
const server = (options: {
  readonly node?: NodeServer.Options
  readonly config?: ErrataConfig.Options
  readonly signals: Signals
  readonly resource: { open: boolean }
  readonly logs: Array<Testing.LogEntry>
}) =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(ErrataServer.layer(TestApi).pipe(Layer.provide(TestHandlers))),
    Layer.provide(routes(options.signals)),
    Layer.provideMerge(NodeServer.layerTest(options.node)),
    Layer.provide(ErrataConfig.layer({ handlerTimeout: "5 seconds", ...options.config })),
    Layer.provide(resourceLayer(options.resource)),
    Layer.provide(Testing.captureLogs(options.logs))
  )

/** The server, built in a scope of its own that the test closes: the shutdown. */
const started = (options: Omit<Parameters<typeof server>[0], "signals" | "resource" | "logs">) =>
  Effect.gen(function*() {
    const signals: Signals = { release: yield* Deferred.make<void>(), interrupted: 0 }
    const resource = { open: true }
    const logs: Array<Testing.LogEntry> = []
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(server({ ...options, signals, resource, logs }), scope)
    const address = Context.get(context, HttpServer.HttpServer).address as HttpServer.TcpAddress
    return { port: address.port, signals, resource, logs, scope }
  })

/** The log lines about one request. */
const linesOf = (logs: ReadonlyArray<Testing.LogEntry>, requestId: string) =>
  logs.filter((entry) => entry.annotations.request_id === requestId)

/**
 * Checks an answer the server wrote itself: `expected`'s class in `format`, with a new or the caller's request id,
 * `Connection: close`, and one log line for it.
 */
const assertRefused = (
  answer: Testing.Answer,
  expected: CatalogError.AnyClass,
  format: WireFormat.Any,
  logs: ReadonlyArray<Testing.LogEntry>
) => {
  assert.strictEqual(answer.status, expected.metadata.status)
  assert.strictEqual(answer.headers["content-type"], format.contentType)
  assert.strictEqual(answer.headers["connection"], "close")
  const requestId = answer.headers["x-request-id"] ?? ""
  assert.match(requestId, /^req_[0-9A-Za-z_]+$/)
  const decoded = format.decode(answer)
  assert.instanceOf(decoded, expected)
  assert.strictEqual((decoded as CatalogError.CatalogError).requestId ?? requestId, requestId)
  const lines = linesOf(logs, requestId)
  assert.strictEqual(lines.length, 1, JSON.stringify(lines))
  assert.deepInclude(lines[0]!.annotations, { error_code: expected.metadata.code, status: expected.metadata.status })
  return { requestId, decoded: decoded as CatalogError.CatalogError, line: lines[0]! }
}

const malformed: ReadonlyArray<readonly [string, string, CatalogError.AnyClass]> = [
  ["a 100 KB URL", `GET /${"a".repeat(100_000)} HTTP/1.1\r\nhost: x\r\n\r\n`, RequestHeaderFieldsTooLarge],
  ["a 64 KB header", `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(64 * 1024)}\r\n\r\n`, RequestHeaderFieldsTooLarge],
  ["a bare CR in a header value", "GET / HTTP/1.1\r\nhost: x\r\nx-a: a\rb\r\n\r\n", BadRequest],
  ["a bare LF in a header value", "GET / HTTP/1.1\r\nhost: x\r\nx-a: a\nb\r\n\r\n", BadRequest],
  ["an obs-fold header line", "GET / HTTP/1.1\r\nhost: x\r\nx-a: a\r\n b\r\n\r\n", BadRequest],
  ["a NUL in a header value", "GET / HTTP/1.1\r\nhost: x\r\nx-a: a\0b\r\n\r\n", BadRequest],
  [
    "both Content-Length and Transfer-Encoding",
    "POST /people HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
    BadRequest
  ],
  ["a request line that is not HTTP", "HELLO\r\n\r\n", BadRequest]
]

describe("NodeServer", () => {
  for (const format of [WireFormat.OAuthDetails, BuiltinFormats.byName["google-rpc"]!]) {
    it.live(`answers what Node's parser refuses in the format (${format.name}), and closes the connection`, () =>
      Effect.gen(function*() {
        const { logs, port, scope } = yield* started({ config: { format } })
        for (const [what, bytes, expected] of malformed) {
          const connection = yield* Testing.connect(port)
          yield* connection.write(bytes)
          const answer = yield* connection.answer
          const { decoded, line } = assertRefused(answer, expected, format, logs)
          // Nothing of the request is repeated.
          assert.notInclude(answer.body, "aaaa", what)
          assert.notInclude(decoded.message, "x-a", what)
          assert.match(String(line.annotations.reason), /^HPE_/, what)
          assert.strictEqual(yield* connection.closed, "", what)
        }
        yield* Scope.close(scope, Exit.void)
      }).pipe(Effect.scoped))
  }

  it.live("answers an Expect it cannot meet 417, and CONNECT 400, in the format: Node would answer neither itself", () =>
    Effect.gen(function*() {
      const { logs, port, scope } = yield* started({})
      const expecting = yield* Testing.connect(port)
      yield* expecting.write(
        "POST /people HTTP/1.1\r\nhost: x\r\nx-request-id: req_expect\r\naccept: application/problem+json\r\n" +
          "expect: 200-ok\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
      )
      const expectation = assertRefused(yield* expecting.answer, ExpectationFailed, WireFormat.ProblemDetails, logs)
      assert.strictEqual(expectation.requestId, "req_expect")
      assert.notInclude(expectation.decoded.message, "200-ok")
      assert.deepInclude(expectation.line.annotations, { method: "POST", path: "/people", reason: "expectation" })
      assert.strictEqual(yield* expecting.closed, "")

      // 100-continue is still Node's: the interim answer, then the request's own.
      const continuing = yield* Testing.connect(port)
      yield* continuing.write("GET /items/known HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n\r\n")
      assert.strictEqual((yield* continuing.answer).status, 100)
      assert.strictEqual((yield* continuing.answer).status, 200)

      const tunnel = yield* Testing.connect(port)
      yield* tunnel.write("CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n")
      const connect = assertRefused(yield* tunnel.answer, BadRequest, WireFormat.OAuthDetails, logs)
      assert.notInclude(connect.decoded.message, "example.com")
      assert.deepInclude(connect.line.annotations, { method: "CONNECT", reason: "connect" })
      assert.strictEqual(yield* tunnel.closed, "")

      // A CONNECT whose caller resets the connection at once does not take the process down with it.
      for (let i = 0; i < 20; i++) {
        const reset = createConnection(port, "127.0.0.1")
        reset.on("error", () => {})
        reset.write("CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n", () => reset.resetAndDestroy())
      }
      yield* Effect.sleep("100 millis")
      const after = yield* Testing.connect(port)
      yield* after.write("GET /items/known HTTP/1.1\r\nhost: x\r\n\r\n")
      assert.strictEqual((yield* after.answer).status, 200)
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped))

  it.live("answers a request that arrived whole before what Node's parser refuses on its connection, then refuses that", () =>
    Effect.gen(function*() {
      const { logs, port, scope } = yield* started({})
      const connection = yield* Testing.connect(port)
      yield* connection.write(
        "POST /people HTTP/1.1\r\nhost: x\r\nx-request-id: req_first\r\ncontent-type: application/json\r\n" +
          `content-length: 24\r\n\r\n{"name":"Ada","age":36}\nHELLO\r\n\r\n`
      )
      const first = yield* connection.answer
      assert.strictEqual(first.status, 201, first.body)
      assert.strictEqual(first.headers["x-request-id"], "req_first")
      assertRefused(yield* connection.answer, BadRequest, WireFormat.OAuthDetails, logs)
      assert.strictEqual(yield* connection.closed, "")
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped))

  it.live("takes the header limit from its options: the URL and headers together", () =>
    Effect.gen(function*() {
      const { logs, port, scope } = yield* started({ node: { maxHeaderBytes: 2048 } })
      const within = yield* Testing.connect(port)
      yield* within.write(`GET /items/known HTTP/1.1\r\nhost: x\r\nx-a: ${"a".repeat(1500)}\r\n\r\n`)
      assert.strictEqual((yield* within.answer).status, 200)
      for (const over of [
        `GET /items/known HTTP/1.1\r\nhost: x\r\nx-a: ${"a".repeat(1500)}\r\nx-b: ${"b".repeat(1500)}\r\n\r\n`,
        `GET /items/${"a".repeat(1500)}?q=${"b".repeat(1500)} HTTP/1.1\r\nhost: x\r\n\r\n`
      ]) {
        const connection = yield* Testing.connect(port)
        yield* connection.write(over)
        const { decoded } = assertRefused(yield* connection.answer, RequestHeaderFieldsTooLarge, WireFormat.OAuthDetails, logs)
        assert.strictEqual(decoded.message, "The request's URL and headers are larger than 2048 bytes")
      }
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped))

  it.live("answers 408 in the format when the headers, or the body, do not arrive in time, and closes the connection", () =>
    Effect.gen(function*() {
      const { logs, port, scope } = yield* started({ node: { headersTimeout: "300 millis", bodyTimeout: "600 millis" } })
      const headers = yield* Testing.connect(port)
      yield* headers.write("GET /items/known HTTP/1.1\r\nhost: x\r\n")
      const slowHeaders = assertRefused(yield* headers.answer, RequestTimeout, WireFormat.OAuthDetails, logs)
      assert.strictEqual(slowHeaders.decoded.message, "The request's headers did not arrive within 0.3 seconds")
      assert.strictEqual(yield* headers.closed, "")

      // With the headers in, the answer is the request's: its id, and the format its Accept asks for.
      const body = yield* Testing.connect(port)
      yield* body.write(
        "POST /people HTTP/1.1\r\nhost: x\r\nx-request-id: req_slow_body\r\naccept: application/problem+json\r\n" +
          "content-type: application/json\r\ncontent-length: 40\r\n\r\n{\"name\":"
      )
      const answer = yield* body.answer
      const slowBody = assertRefused(answer, RequestTimeout, WireFormat.ProblemDetails, logs)
      assert.strictEqual(slowBody.requestId, "req_slow_body")
      assert.strictEqual(slowBody.decoded.message, "The request did not arrive whole within 0.6 seconds")
      assert.deepInclude(slowBody.line.annotations, { method: "POST", path: "/people", reason: "ERR_HTTP_REQUEST_TIMEOUT" })
      assert.strictEqual(yield* body.closed, "")

      // The handler waiting for the body is interrupted, and not logged again as aborted by its caller.
      const after = yield* Testing.connect(port)
      yield* after.write("GET /items/known HTTP/1.1\r\nhost: x\r\n\r\n")
      assert.strictEqual((yield* after.answer).status, 200)
      assert.deepStrictEqual(linesOf(logs, "req_slow_body").length, 1)

      // A request answered before its body was read (no route) has had its answer: its slow body only ends the
      // connection.
      const early = yield* Testing.connect(port)
      yield* early.write("POST /nowhere HTTP/1.1\r\nhost: x\r\nx-request-id: req_early\r\ncontent-length: 40\r\n\r\n{")
      assert.strictEqual((yield* early.answer).status, 404)
      assert.strictEqual(yield* early.closed, "")
      assert.deepStrictEqual(linesOf(logs, "req_early").map((entry) => entry.annotations.status), [404])
      assert.deepStrictEqual(
        logs.filter((entry) => entry.annotations.status === 408).map((entry) => entry.annotations.request_id),
        [slowHeaders.requestId, "req_slow_body"]
      )
      yield* Scope.close(scope, Exit.void)
    }).pipe(Effect.scoped))

  it.live("on shutdown lets the requests in flight finish with the layers open, and answers those arriving 503", () =>
    Effect.gen(function*() {
      const { logs, port, resource, scope, signals } = yield* started({ node: { shutdownGrace: "20 seconds" } })

      // Headers arriving: written first, so that the server has read them before it drains.
      const arriving = yield* Testing.connect(port)
      yield* arriving.write("GET /items/known HTTP/1.1\r\nhost: x\r\nx-request-id: req_arriving\r\n")
      // Idle keep-alive, after one answer.
      const idle = yield* Testing.connect(port)
      yield* idle.write("GET /items/known HTTP/1.1\r\nhost: x\r\n\r\n")
      assert.strictEqual((yield* idle.answer).status, 200)
      // A handler running.
      const running = yield* Testing.connect(port)
      yield* running.write("GET /wait HTTP/1.1\r\nhost: x\r\n\r\n")
      // A body arriving: the interim 100 says the server has the headers and works on the request.
      const body = yield* Testing.connect(port)
      yield* body.write(
        "POST /people HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nexpect: 100-continue\r\n" +
          "content-length: 23\r\n\r\n"
      )
      assert.strictEqual((yield* body.answer).status, 100)
      yield* body.write("{\"name\":\"Ann\",")

      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      // Idle connections are closed at once, without an answer.
      assert.strictEqual(yield* idle.closed, "")
      // New connections are refused.
      assert.isTrue(Exit.isFailure(yield* Effect.exit(Effect.scoped(Testing.connect(port)))))

      yield* body.write("\"age\":30}")
      const created = yield* body.answer
      assert.strictEqual(created.status, 201)
      assert.strictEqual(created.headers["connection"], "close")
      assert.deepStrictEqual(JSON.parse(created.body), { name: "Ann", age: 30 })

      yield* arriving.write("\r\n")
      const refused = assertRefused(yield* arriving.answer, ServiceUnavailable, WireFormat.OAuthDetails, logs)
      assert.strictEqual(refused.requestId, "req_arriving")
      assert.deepInclude(refused.line.annotations, { reason: "shutdown", path: "/items/known" })

      yield* Deferred.succeed(signals.release, void 0)
      const waited = yield* running.answer
      assert.strictEqual(waited.status, 200)
      assert.strictEqual(waited.body, "open")
      assert.strictEqual(waited.headers["connection"], "close")

      for (const connection of [arriving, running, body]) assert.strictEqual(yield* connection.closed, "")
      yield* Fiber.join(closing)
      assert.isFalse(resource.open)
      assert.strictEqual(signals.interrupted, 0)
      assert.isTrue(logs.some((entry) => entry.message === "shutting down"))
    }).pipe(Effect.scoped))

  it.live("at the end of the grace period answers what is left 503 and closes every connection", () =>
    Effect.gen(function*() {
      const { logs, port, scope, signals } = yield* started({ node: { shutdownGrace: "500 millis" } })
      const headers = yield* Testing.connect(port)
      yield* headers.write("GET /items/known HTTP/1.1\r\nhost: x\r\n")
      const body = yield* Testing.connect(port)
      yield* body.write(
        "POST /people HTTP/1.1\r\nhost: x\r\nx-request-id: req_stalled_body\r\ncontent-type: application/json\r\n" +
          "expect: 100-continue\r\ncontent-length: 40\r\n\r\n"
      )
      assert.strictEqual((yield* body.answer).status, 100)
      yield* body.write("{\"name\":")
      const running = yield* Testing.connect(port)
      yield* running.write("GET /wait HTTP/1.1\r\nhost: x\r\nx-request-id: req_running\r\n\r\n")
      // Once a request has been answered, the one of `running` is surely with its handler.
      const probe = yield* Testing.connect(port)
      yield* probe.write("GET /items/known HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
      assert.strictEqual((yield* probe.answer).status, 200)

      // The test never releases `/wait`, and its callers never finish: the scope closes at the end of the grace period.
      yield* Scope.close(scope, Exit.void)
      for (const connection of [headers, body, running]) {
        assertRefused(yield* connection.answer, ServiceUnavailable, WireFormat.OAuthDetails, logs)
        assert.strictEqual(yield* connection.closed, "")
      }
      assert.strictEqual(signals.interrupted, 1)
      // Each of them logged once, as answered: not again as aborted by its caller.
      for (const requestId of ["req_stalled_body", "req_running"]) {
        assert.deepStrictEqual(linesOf(logs, requestId).map((entry) => entry.annotations.status), [503], requestId)
      }
    }).pipe(Effect.scoped))
})
