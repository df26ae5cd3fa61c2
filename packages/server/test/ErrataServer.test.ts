import { HttpApiEndpoint, HttpApiGroup, HttpClientRequest, HttpServer } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { BuiltinFormats, CatalogError, ErrataApi, GoogleRpc, WireFormat } from "@errata/domain"
import { InternalError, InvalidEmail, NotFound, ServiceUnavailable, Timeout } from "@errata/domain/Errors"
import { MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType } from "@errata/domain/FrameworkErrors"
import { ErrataServer } from "@errata/server"
import { Cause, Effect, Exit, Layer, Schema, Stream } from "effect"
import { connect } from "node:net"
import type { Testing } from "@errata/server"
import { assertAnswers, json, secret, send, serve, slowHandlers, testServer } from "./fixtures/TestServer.js"

const requestId = "req_test_0001"

const withId = (request: HttpClientRequest.HttpClientRequest) =>
  request.pipe(HttpClientRequest.setHeader("x-request-id", requestId))

for (const format of BuiltinFormats.all) {
  const logs: Array<Testing.LogEntry> = []
  const { malformedBody, validationError } = format.envelope

  // The server keeps the real clock (its timeout is real time); only the tests' own effects see the TestClock.
  layer(testServer({ config: { format, maxBodyBytes: 200_000 }, logs }), { excludeTestServices: true })(
    `ErrataServer in ${format.name}`,
    (it) => {
    const assertAnswer = assertAnswers(format, requestId)

    it.effect("answers a declared error in the format, with the caller's request id", () =>
      assertAnswer(HttpClientRequest.get("/items/nope"), new NotFound({ message: "No item nope" })))

    it.effect("answers an unknown route with 404 not_found", () =>
      assertAnswer(HttpClientRequest.get("/no/such/route"), new NotFound({ message: "No such endpoint" })))

    it.effect("answers a wrong method with 405 and Allow", () =>
      Effect.gen(function*() {
        const answer = yield* assertAnswer(
          HttpClientRequest.put("/items/known"),
          new MethodNotAllowed({ message: "This endpoint supports GET, DELETE" })
        )
        assert.strictEqual(answer.headers["allow"], "GET, DELETE")
      }))

    it.effect("answers malformed JSON with 400", () =>
      assertAnswer(
        json("POST", "/people", "{\"name\": \"Ann\", "),
        new malformedBody({ message: "The request body is not valid JSON" })
      ))

    it.effect("answers an unsupported content type with 415", () =>
      assertAnswer(
        json("POST", "/people", "name=Ann", "application/x-www-form-urlencoded"),
        new UnsupportedMediaType({ message: "The request body must be application/json" })
      ))

    it.effect("answers a body over the limit with 413, without reading it", () =>
      assertAnswer(
        json("POST", "/people", JSON.stringify({ name: "x".repeat(300_000), age: 1 })),
        new PayloadTooLarge({ message: "The request body is larger than 200000 bytes" })
      ))

    it.effect("answers a chunked body that passes the limit with 413, and takes one within it", () =>
      Effect.gen(function*() {
        const chunked = (text: string) =>
          withId(HttpClientRequest.post("/people")).pipe(
            HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode(text)), {
              contentType: "application/json"
            })
          )
        yield* assertAnswer(
          chunked(JSON.stringify({ name: "x".repeat(300_000), age: 1 })),
          new PayloadTooLarge({ message: "The request body is larger than 200000 bytes" })
        )
        const small = yield* send(chunked(JSON.stringify({ name: "Ann", age: 3 })))
        assert.strictEqual(small.status, 201)
        assert.deepStrictEqual(JSON.parse(small.body), { name: "Ann", age: 3 })
      }))

    it.effect("answers a missing, empty or non-object body as an invalid body, without naming the schema", () =>
      Effect.gen(function*() {
        const cases = [
          ["", "required", "body is required"],
          ["[1]", "invalid_type", "body must be an object"],
          ["null", "invalid_type", "body must be an object"],
          ["\"text\"", "invalid_type", "body must be an object"]
        ] as const
        for (const [body, code, message] of cases) {
          const answer = yield* assertAnswer(
            json("POST", "/people", body),
            new validationError({ message: "1 field is invalid: body", fieldErrors: [{ field: "body", message, code }] })
          )
          assert.notInclude(answer.body, "Person")
        }
      }))

    it.effect("answers invalid fields with one field-level entry each, a code and a plain message, and no schema dump", () =>
      Effect.gen(function*() {
        const fieldErrors = [
          { field: "name", message: "name must not be empty", code: "too_short" },
          { field: "age", message: "age must be an integer", code: "invalid_type" },
          { field: "address.city", message: "address.city is required", code: "required" }
        ]
        const answer = yield* assertAnswer(
          json("POST", "/people", JSON.stringify({ name: "", age: 1.5, address: {} })),
          new validationError({ message: "3 fields are invalid: name, age, address.city", fieldErrors })
        )
        assert.notInclude(answer.body, "Person")
        assert.notInclude(answer.body, "└─")
      }))

    it.effect("reports every invalid field of the path, the query and the body in one answer, never quoting a value", () =>
      Effect.gen(function*() {
        const body = {
          items: [
            { sku: "AB-123", quantity: 1 },
            { sku: "AB-124", quantity: 0 },
            { sku: "hunter2", quantity: "two" }
          ],
          note: "hunter2 hunter2",
          kind: "hunter2"
        }
        const answer = yield* assertAnswer(
          json("POST", "/teams/hunter2-hunter2/orders?priority=hunter2", JSON.stringify(body)),
          new validationError({
            message: "7 fields are invalid: team, priority, items[1].quantity, items[2].sku, items[2].quantity, note, kind",
            fieldErrors: [
              { field: "team", message: "team must be at most 8 characters", code: "too_long" },
              { field: "priority", message: "priority must be a number", code: "invalid_type" },
              { field: "items[1].quantity", message: "items[1].quantity must be between 1 and 99", code: "out_of_range" },
              {
                field: "items[2].sku",
                message: "items[2].sku must be two capitals, a dash and three digits, such as AB-123",
                code: "invalid_sku"
              },
              { field: "items[2].quantity", message: "items[2].quantity must be a number", code: "invalid_type" },
              { field: "note", message: "note must be at most 10 characters", code: "too_long" },
              { field: "kind", message: "kind must be one of standard, express", code: "not_allowed" }
            ]
          })
        )
        assert.notInclude(answer.body, "hunter2")
      }))

    it.effect("refuses unknown members of a body with unknown_field, naming only plain member names", () =>
      Effect.gen(function*() {
        const answer = yield* assertAnswer(
          json("POST", "/people", JSON.stringify({ name: "Ann", age: 3, role: "admin", address: { city: "Oslo", "<b>x</b>": 1 } })),
          new validationError({
            message: "2 fields are invalid: role, address",
            fieldErrors: [
              { field: "role", message: "role is not allowed", code: "unknown_field" },
              { field: "address", message: "address has a member that is not allowed", code: "unknown_field" }
            ]
          })
        )
        assert.notInclude(answer.body, "<b>")
        const valid = yield* send(json("POST", "/people", JSON.stringify({ name: "Ann", age: 3 })))
        assert.strictEqual(valid.status, 201)
      }))

    it.effect("answers the class a rule names when that rule is all that failed, else lists it with the rest", () =>
      Effect.gen(function*() {
        const items = [{ sku: "AB-123", quantity: 1 }]
        const contact = { field: "contact", message: "contact must be an email address", code: "invalid_email" }
        yield* assertAnswer(
          json("POST", "/teams/a/orders", JSON.stringify({ items, contact: "nobody" })),
          new InvalidEmail({ message: "contact must be an email address", fieldErrors: [contact] })
        )
        yield* assertAnswer(
          json("POST", "/teams/a/orders", JSON.stringify({ items, contact: "nobody", note: "a note too long" })),
          new validationError({
            message: "2 fields are invalid: note, contact",
            fieldErrors: [{ field: "note", message: "note must be at most 10 characters", code: "too_long" }, contact]
          })
        )
        const valid = yield* send(json("POST", "/teams/a/orders?priority=2", JSON.stringify({ items, contact: "a@b" })))
        assert.strictEqual(valid.status, 201)
      }))

    it.effect("answers a body nested deeper than the limit with 400, before any schema sees it", () =>
      assertAnswer(
        json("POST", "/people", `{"name": "Ann", "age": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`),
        new malformedBody({ message: "The request body nests deeper than 64 levels" })
      ))

    it.effect("refuses a body that is not UTF-8 or has a lone surrogate escape, and takes a surrogate pair", () =>
      Effect.gen(function*() {
        const bytes = (...parts: Array<string | ReadonlyArray<number>>) =>
          withId(HttpClientRequest.post("/people")).pipe(
            HttpClientRequest.bodyUint8Array(
              Buffer.concat(parts.map((part) => typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
              "application/json"
            )
          )
        const notUtf8 = new malformedBody({ message: "The request body is not valid UTF-8" })
        yield* assertAnswer(bytes("{\"name\": \"Ann", [0xff, 0xfe], "\", \"age\": 3}"), notUtf8)
        // An overlong encoding of "/", and a surrogate encoded in UTF-8 (CESU): neither is UTF-8.
        yield* assertAnswer(bytes("{\"name\": \"", [0xc0, 0xaf], "\", \"age\": 3}"), notUtf8)
        yield* assertAnswer(bytes("{\"name\": \"", [0xed, 0xa0, 0x80], "\", \"age\": 3}"), notUtf8)
        const lone = new malformedBody({ message: "The request body has a string with a lone surrogate (\\uD800 to \\uDFFF)" })
        yield* assertAnswer(json("POST", "/people", "{\"name\": \"a\\ud800\", \"age\": 3}"), lone)
        yield* assertAnswer(json("POST", "/people", "{\"name\": \"\\udc00b\", \"age\": 3}"), lone)
        yield* assertAnswer(json("POST", "/people", "{\"name\": \"\\ud83d\\u0041\", \"age\": 3}"), lone)
        const pair = yield* send(json("POST", "/people", "{\"name\": \"\\\\ud800 \\ud83d\\ude00\", \"age\": 3}"))
        assert.strictEqual(pair.status, 201)
        assert.strictEqual(JSON.parse(pair.body).name, "\\ud800 \u{1F600}")
      }))

    it.effect("takes nesting within the limit, and brackets inside strings do not count", () =>
      Effect.gen(function*() {
        const answer = yield* send(json("POST", "/people", JSON.stringify({ name: "[[[[{{{{".repeat(100), age: 3 })))
        assert.strictEqual(answer.status, 201)
      }))

    it.effect("answers a defect with a generic 500 and logs the cause with the request id", () =>
      Effect.gen(function*() {
        logs.length = 0
        const answer = yield* assertAnswer(
          HttpClientRequest.get("/defect"),
          new InternalError({ message: "An internal error occurred. Please try again later." })
        )
        assert.notInclude(answer.body, "hunter2")
        assert.strictEqual(logs.length, 1)
        assert.strictEqual(logs[0]!.level, "ERROR")
        assert.include(logs[0]!.cause, secret)
        assert.deepStrictEqual(logs[0]!.annotations, {
          error_code: "internal_error",
          status: 500,
          request_id: requestId,
          method: "GET",
          path: "/defect"
        })
      }))

    it.effect("answers an undeclared failure with a generic 500", () =>
      Effect.gen(function*() {
        const answer = yield* assertAnswer(
          HttpClientRequest.get("/undeclared"),
          new InternalError({ message: "An internal error occurred. Please try again later." })
        )
        assert.notInclude(answer.body, "hunter2")
      }))

    it.effect("answers an invalid success value with 500, not 400", () =>
      assertAnswer(
        HttpClientRequest.get("/invalid-success"),
        new InternalError({ message: "An internal error occurred. Please try again later." })
      ))

    it.effect("answers a handler that outlives the timeout with 504, having stopped it", () =>
      Effect.gen(function*() {
        const interruptedBefore = slowHandlers.interrupted
        yield* assertAnswer(HttpClientRequest.get("/slow"), new Timeout({ message: "The request took too long to process" }))
        assert.strictEqual(slowHandlers.interrupted, interruptedBefore + 1)
        // The interruption stays with the timed-out request: the next one is served as usual.
        const next = yield* send(HttpClientRequest.get("/items/known"))
        assert.strictEqual(next.status, 200)
        assert.strictEqual(next.body, JSON.stringify("an item"))
      }))

    it.effect("sends Retry-After with a 503, and retry_after where the format has it", () =>
      Effect.gen(function*() {
        const answer = yield* assertAnswer(
          HttpClientRequest.get("/unavailable"),
          new ServiceUnavailable({ message: "Down for maintenance" }),
          1
        )
        assert.strictEqual(answer.headers["retry-after"], "1")
        assert.strictEqual(format.decode(answer).retryAfter, 1)
      }))

    it.effect("answers RFC 9457 to a request that accepts application/problem+json", () =>
      Effect.gen(function*() {
        const answer = yield* send(
          withId(HttpClientRequest.get("/items/nope")).pipe(
            HttpClientRequest.setHeader("accept", "application/problem+json")
          )
        )
        assert.strictEqual(answer.status, 404)
        assert.strictEqual(answer.headers["content-type"], "application/problem+json")
        assert.strictEqual(
          answer.body,
          WireFormat.ProblemDetails.encode(new NotFound({ message: "No item nope" }), { requestId }).body
        )
      }))

    it.effect("gives every response an X-Request-ID: the caller's when well formed, else a new one", () =>
      Effect.gen(function*() {
        const success = yield* send(withId(HttpClientRequest.get("/items/known")))
        assert.strictEqual(success.status, 200)
        assert.strictEqual(success.headers["x-request-id"], requestId)
        for (const bad of ["has spaces", "x".repeat(129), "semi;colon"]) {
          const answer = yield* send(HttpClientRequest.get("/items/nope").pipe(HttpClientRequest.setHeader("x-request-id", bad)))
          const generated = answer.headers["x-request-id"]!
          assert.match(generated, /^req_[0-9a-f]{32}$/)
          const decoded = format.decode(answer)
          assert.instanceOf(decoded, NotFound)
          assert.strictEqual(decoded.requestId, generated)
        }
        const fresh = yield* send(HttpClientRequest.get("/items/known"))
        assert.match(fresh.headers["x-request-id"]!, /^req_[0-9a-f]{32}$/)
      }))

    it.effect("logs each error response once, with code, status, request id, method and path", () =>
      Effect.gen(function*() {
        logs.length = 0
        yield* send(withId(HttpClientRequest.get("/items/nope")))
        yield* send(withId(HttpClientRequest.get("/items/known")))
        assert.deepStrictEqual(logs.map(({ annotations, level, message }) => ({ annotations, level, message })), [{
          level: "WARN",
          message: "request failed",
          annotations: { error_code: "not_found", status: 404, request_id: requestId, method: "GET", path: "/items/nope" }
        }])
      }))
  })
}

describe("ErrataServer debug mode", () => {
  const create = json("POST", "/people", JSON.stringify({ name: "", age: 1, password: "hunter2", api_token: "t0k" })).pipe(
    HttpClientRequest.setHeader("authorization", "Bearer hunter2"),
    HttpClientRequest.setHeader("cookie", "session=hunter2")
  )
  const debugged = create.pipe(HttpClientRequest.setHeader("x-debug", "true"))

  layer(testServer({ config: { debug: true }, logs: [] }), { excludeTestServices: true })("enabled by the operator", (it) => {
    it.effect("adds stack trace, redacted request body and headers, and timestamp when the request asks", () =>
      Effect.gen(function*() {
        const answer = yield* send(debugged)
        assert.strictEqual(answer.status, 422)
        const { debug } = JSON.parse(answer.body)
        assert.deepStrictEqual(Object.keys(debug), ["stack_trace", "request_body", "request_headers", "timestamp"])
        assert.include(debug.stack_trace, "ValidationError")
        assert.deepStrictEqual(debug.request_body, { name: "", age: 1, password: "[REDACTED]", api_token: "[REDACTED]" })
        assert.strictEqual(debug.request_headers.authorization, "[REDACTED]")
        assert.strictEqual(debug.request_headers.cookie, "[REDACTED]")
        assert.notInclude(answer.body, "hunter2")
        assert.isFalse(Number.isNaN(Date.parse(debug.timestamp)))
      }))

    it.effect("shows a defect's stack trace in debug mode", () =>
      Effect.gen(function*() {
        const answer = yield* send(HttpClientRequest.get("/defect").pipe(HttpClientRequest.setHeader("x-debug", "true")))
        assert.strictEqual(answer.status, 500)
        assert.include(JSON.parse(answer.body).debug.stack_trace, "Error: SELECT")
      }))

    it.effect("adds nothing to a request that does not ask", () =>
      Effect.gen(function*() {
        const answer = yield* send(create)
        assert.strictEqual(answer.status, 422)
        assert.notProperty(JSON.parse(answer.body), "debug")
      }))
  })

  layer(testServer({ config: { debug: false }, logs: [] }), { excludeTestServices: true })("off (the default)", (it) => {
    it.effect("ignores X-Debug", () =>
      Effect.gen(function*() {
        const answer = yield* send(debugged)
        assert.strictEqual(answer.status, 422)
        assert.notProperty(JSON.parse(answer.body), "debug")
        assert.notInclude(answer.body, "hunter2")
      }))
  })
})

describe("ErrataServer when the caller hangs up", () => {
  const logs: Array<Testing.LogEntry> = []
  layer(testServer({ logs }), { excludeTestServices: true })("during a handler", (it) => {
    it.effect("stops the handler, and logs the abort without calling it a server error", () =>
      Effect.gen(function*() {
        const { address } = yield* HttpServer.HttpServer
        const { port } = address as HttpServer.TcpAddress
        const interruptedBefore = slowHandlers.interrupted
        logs.length = 0
        yield* Effect.async<void, Error>((resume) => {
          const socket = connect(port, "127.0.0.1", () => {
            socket.write("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: req_hangs_up\r\n\r\n")
            setTimeout(() => {
              socket.destroy()
              resume(Effect.void)
            }, 200)
          })
          socket.on("error", (error) => resume(Effect.fail(error)))
        })
        // Well before the handler's 1 s deadline: only the hang-up can have stopped it.
        yield* Effect.sleep("300 millis")
        assert.strictEqual(slowHandlers.interrupted, interruptedBefore + 1)
        assert.deepStrictEqual(logs, [{
          level: "INFO",
          message: "request aborted by the caller",
          annotations: { status: 499, request_id: "req_hangs_up", method: "GET", path: "/slow" },
          cause: ""
        }])
      }))
  })
})

describe("ErrataServer with formats given as values", () => {
  const notFound = new NotFound({ message: "No item nope" })

  layer(testServer({ config: { format: GoogleRpc.format, alternatives: [WireFormat.ProblemDetails] }, logs: [] }), {
    excludeTestServices: true
  })("Google's format, with RFC 9457 on request", (it) => {
    it.effect("answers in the configured format, and in an alternative the request's Accept names", () =>
      Effect.gen(function*() {
        yield* assertAnswers(GoogleRpc.format, requestId)(HttpClientRequest.get("/items/nope"), notFound)
        const problem = yield* send(
          withId(HttpClientRequest.get("/items/nope")).pipe(HttpClientRequest.setHeader("accept", "application/problem+json"))
        )
        assert.strictEqual(problem.headers["content-type"], "application/problem+json")
        assert.strictEqual(problem.body, WireFormat.ProblemDetails.encode(notFound, { requestId }).body)
      }))
  })

  it.live("refuses to start when a format cannot carry an error of the API, naming the class and the field", () =>
    Effect.gen(function*() {
      class Clashing extends CatalogError.Class<Clashing>()("Clashing", {
        code: "clashing",
        status: 409,
        category: "conflict",
        description: "d",
        resolution: "r",
        fields: { details: Schema.String }
      }) {}
      class ClashingApi extends ErrataApi.make("clashing").add(
        HttpApiGroup.make("g").add(HttpApiEndpoint.get("get", "/x").addError(Clashing))
      ) {}
      const handlers = ErrataServer.group(ClashingApi, "g", (h) => h.handle("get", () => Effect.void))
      const started = yield* Effect.exit(Layer.build(serve(ClashingApi, handlers, { logs: [] })).pipe(Effect.scoped))
      assert.isTrue(Exit.isFailure(started))
      assert.include(
        Cause.pretty((started as Exit.Failure<unknown, unknown>).cause),
        "the oauth-details format cannot carry Clashing: its field \"details\" is a member of the envelope"
      )
      // Google's format keeps an error's own fields apart from its envelope: the same API is served.
      const google = yield* Effect.exit(
        Layer.build(serve(ClashingApi, handlers, { config: { format: GoogleRpc.format, alternatives: [] }, logs: [] })).pipe(
          Effect.scoped
        )
      )
      assert.isTrue(Exit.isSuccess(google))
    }))
})
