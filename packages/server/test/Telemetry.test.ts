import { HttpApiBuilder, HttpClientRequest, HttpServer } from "@effect/platform"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { assert, layer } from "@effect/vitest"
import { ErrataConfig, ErrataServer, NodeServer, Testing } from "@errata/server"
import * as Telemetry from "@errata/server/Telemetry"
import { SpanKind, SpanStatusCode } from "@opentelemetry/api"
import type { DataPoint, Histogram } from "@opentelemetry/sdk-metrics"
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader
} from "@opentelemetry/sdk-metrics"
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Metric, Schedule } from "effect"
import { json, send, TestApi, TestHandlers, testServer } from "./fixtures/TestServer.js"

const spans = new InMemorySpanExporter()
const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })

/** The test server, exporting to the in-memory exporters. */
const Traced = testServer({ logs: [] }).pipe(
  Layer.provide(Telemetry.layer({ spanProcessor: new SimpleSpanProcessor(spans), metricReader: reader }))
)

/** The server span of the request sent with `requestId`, once it has ended (it ends after the answer is written). */
const serverSpan = (requestId: string, exporter = spans) =>
  Effect.sync(() =>
    exporter.getFinishedSpans().find((span) =>
      span.kind === SpanKind.SERVER && span.attributes["http.request.header.x-request-id"] === requestId
    )
  ).pipe(
    Effect.filterOrFail((span): span is ReadableSpan => span !== undefined, () => `no server span for ${requestId}`),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(200))))
  )

/** The client span (`@effect/platform`'s HttpClient's) that is the parent of a server span. */
const clientSpanOf = (server: ReadableSpan) =>
  spans.getFinishedSpans().find((span) => span.spanContext().spanId === server.parentSpanContext?.spanId)

const sendWithId = (request: HttpClientRequest.HttpClientRequest, requestId: string) =>
  send(request.pipe(HttpClientRequest.setHeader("x-request-id", requestId)))

/** The data points of a metric, as the reader exports them now. */
const dataPoints = <A = number>(name: string) =>
  Effect.promise(async () => {
    metrics.reset()
    await reader.forceFlush()
    const exported = metrics.getMetrics().flatMap((resource) => resource.scopeMetrics).flatMap((scope) => scope.metrics)
    return exported.filter((metric) => metric.descriptor.name === name)
      .flatMap((metric): ReadonlyArray<DataPoint<unknown>> => metric.dataPoints) as Array<DataPoint<A>>
  })

const pointWith = <A>(points: ReadonlyArray<DataPoint<A>>, attributes: Record<string, string>) =>
  points.find((point) =>
    Object.keys(attributes).length === Object.keys(point.attributes).length &&
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value)
  )

// One server for the file: the exporters and the reader are shut down with it, and cannot be used again.
layer(Traced, { excludeTestServices: true })("Telemetry", (it) => {
  it.effect("records each error response on the request's span, with status ERROR for a 5xx only", () =>
    Effect.gen(function*() {
      const cases = [
        { request: HttpClientRequest.get("/items/nope"), code: "not_found", status: 404, route: "/items/:id" },
        { request: HttpClientRequest.get("/no/such/route"), code: "not_found", status: 404, route: undefined },
        {
          request: json("POST", "/people", JSON.stringify({ name: "", age: 1 })),
          code: "validation_error",
          status: 422,
          route: "/people"
        },
        { request: HttpClientRequest.get("/defect"), code: "internal_error", status: 500, route: "/defect" },
        {
          request: HttpClientRequest.get("/unavailable"),
          code: "service_unavailable",
          status: 503,
          route: "/unavailable"
        }
      ]
      for (const [i, { code, request, route, status }] of cases.entries()) {
        const requestId = `req_span_${i}`
        const answer = yield* sendWithId(request, requestId)
        assert.strictEqual(answer.status, status)
        const span = yield* serverSpan(requestId)
        assert.strictEqual(span.attributes["error.type"], code, `${status} ${code}`)
        assert.strictEqual(span.attributes["http.response.status_code"], status)
        assert.strictEqual(span.attributes["errata.request_id"], requestId)
        assert.strictEqual(span.attributes["http.route"], route)
        // OpenTelemetry's HTTP conventions: a server span is an error for a 5xx, and left unset for a 4xx.
        assert.strictEqual(span.status.code, status >= 500 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET, `${status}`)
        // The caller's side (the platform's client span, parent of the server span): an error for a 4xx too.
        assert.strictEqual(clientSpanOf(span)?.status.code, SpanStatusCode.ERROR)
      }
    }))

  it.effect("leaves a success's span unset, with its route and request id and no error.type", () =>
    Effect.gen(function*() {
      const answer = yield* sendWithId(HttpClientRequest.get("/items/known"), "req_span_ok")
      assert.strictEqual(answer.status, 200)
      const span = yield* serverSpan("req_span_ok")
      assert.strictEqual(span.status.code, SpanStatusCode.UNSET)
      assert.strictEqual(span.attributes["http.route"], "/items/:id")
      assert.strictEqual(span.attributes["errata.request_id"], "req_span_ok")
      assert.isUndefined(span.attributes["error.type"])
      assert.strictEqual(clientSpanOf(span)?.status.code, SpanStatusCode.UNSET)
    }))

  it.effect("exports a counter of error responses by code and status, a histogram of durations by route and status", () =>
    Effect.gen(function*() {
      const notFound = { "error.type": "not_found", "http.response.status_code": "404" }
      const unavailable = { "error.type": "service_unavailable", "http.response.status_code": "503" }
      const byRoute = { "http.request.method": "GET", "http.route": "/items/:id", "http.response.status_code": "404" }
      const before = yield* dataPoints("errata.server.error_responses")
      const durationsBefore = yield* dataPoints<Histogram>("http.server.request.duration")
      const count = (points: ReadonlyArray<DataPoint<number>>, attributes: Record<string, string>) =>
        pointWith(points, attributes)?.value ?? 0
      const durations = (points: ReadonlyArray<DataPoint<Histogram>>, attributes: Record<string, string>) =>
        pointWith(points, attributes)?.value.count ?? 0

      for (const id of ["a", "b", "c"]) yield* sendWithId(HttpClientRequest.get(`/items/${id}`), `req_metric_${id}`)
      yield* sendWithId(HttpClientRequest.get("/unavailable"), "req_metric_503")
      yield* sendWithId(HttpClientRequest.get("/items/known"), "req_metric_ok")
      yield* sendWithId(HttpClientRequest.get("/nowhere"), "req_metric_none")
      // The metrics are updated when the response is handed over, before the span ends.
      yield* serverSpan("req_metric_none")

      const after = yield* dataPoints("errata.server.error_responses")
      assert.strictEqual(count(after, notFound) - count(before, notFound), 4)
      assert.strictEqual(count(after, unavailable) - count(before, unavailable), 1)
      // Only error responses are counted.
      assert.isTrue(after.every((point) => Number(point.attributes["http.response.status_code"]) >= 400))

      const durationsAfter = yield* dataPoints<Histogram>("http.server.request.duration")
      assert.strictEqual(durations(durationsAfter, byRoute) - durations(durationsBefore, byRoute), 3)
      const ok = { ...byRoute, "http.response.status_code": "200" }
      assert.strictEqual(durations(durationsAfter, ok) - durations(durationsBefore, ok), 1)
      // A path no route serves has no http.route: series stay as few as the routes.
      const none = { "http.request.method": "GET", "http.response.status_code": "404" }
      assert.strictEqual(durations(durationsAfter, none) - durations(durationsBefore, none), 1)
      const point = pointWith(durationsAfter, byRoute)!
      assert.isTrue(point.value.sum! > 0 && point.value.sum! < 10 * point.value.count, "durations in seconds")
      assert.deepStrictEqual(point.value.buckets.boundaries.slice(0, 3), [0.005, 0.01, 0.025])
    }))
})

const plainSpans = new InMemorySpanExporter()

/** The test server under `@effect/opentelemetry`'s own tracing, without Errata's telemetry. */
const Plain = testServer({ logs: [] }).pipe(
  Layer.provide(NodeSdk.layer(() => ({ spanProcessor: new SimpleSpanProcessor(plainSpans) })))
)

layer(Plain, { excludeTestServices: true })("Telemetry off (the default)", (it) => {
  it.effect("records nothing: the platform's server span, without Errata's attributes, and no metric", () =>
    Effect.gen(function*() {
      const counted = () => Metric.unsafeSnapshot().filter(({ metricKey }) => metricKey.name.startsWith("errata."))
      const before = counted()
      const answer = yield* sendWithId(HttpClientRequest.get("/items/nope"), "req_off")
      assert.strictEqual(answer.status, 404)
      const span = yield* serverSpan("req_off", plainSpans)
      assert.strictEqual(span.attributes["http.response.status_code"], 404)
      assert.isUndefined(span.attributes["error.type"])
      assert.isUndefined(span.attributes["errata.request_id"])
      const states = (snapshot: typeof before) => snapshot.map(({ metricState }) => metricState)
      assert.deepStrictEqual(states(counted()), states(before))
    }))
})

const nodeSpans = new InMemorySpanExporter()
const nodeMetrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const nodeReader = new PeriodicExportingMetricReader({ exporter: nodeMetrics, exportIntervalMillis: 3_600_000 })

/** The test API on `NodeServer`, whose own answers (to what Node's parser refuses) are written outside any request. */
const OnNodeServer = HttpApiBuilder.serve().pipe(
  Layer.provide(ErrataServer.layer(TestApi).pipe(Layer.provide(TestHandlers))),
  Layer.provideMerge(NodeServer.layerTest()),
  Layer.provide(ErrataConfig.layer({})),
  Layer.provide(Testing.captureLogs([])),
  Layer.provide(Telemetry.layer({ spanProcessor: new SimpleSpanProcessor(nodeSpans), metricReader: nodeReader }))
)

layer(OnNodeServer, { excludeTestServices: true })("Telemetry of the answers NodeServer writes itself", (it) => {
  it.effect("gives each its own server span with the error, and counts it", () =>
    Effect.gen(function*() {
      const { port } = (yield* HttpServer.HttpServer).address as HttpServer.TcpAddress
      const badRequest = { "error.type": "bad_request", "http.response.status_code": "400" }
      const counted = Effect.map(
        Effect.promise(async () => {
          nodeMetrics.reset()
          await nodeReader.forceFlush()
          return nodeMetrics.getMetrics().flatMap((resource) => resource.scopeMetrics).flatMap((scope) => scope.metrics)
            .filter((metric) => metric.descriptor.name === "errata.server.error_responses")
            .flatMap((metric): ReadonlyArray<DataPoint<number>> => metric.dataPoints as Array<DataPoint<number>>)
        }),
        (points) => pointWith(points, badRequest)?.value ?? 0
      )
      const before = yield* counted
      const sent = [
        { bytes: "HELLO\r\n\r\n", method: undefined },
        { bytes: "CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n", method: "CONNECT" }
      ]
      for (const { bytes, method } of sent) {
        const connection = yield* Testing.connect(port)
        yield* connection.write(bytes)
        const answer = yield* connection.answer
        assert.strictEqual(answer.status, 400)
        // No request reached the app: the span is the server's own, found by the request id it answered with.
        const span = yield* Effect.sync(() =>
          nodeSpans.getFinishedSpans().find((span) => span.attributes["errata.request_id"] === answer.headers["x-request-id"])
        ).pipe(
          Effect.filterOrFail((span): span is ReadableSpan => span !== undefined, () => "no span for the answer"),
          Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(200))))
        )
        assert.strictEqual(span.kind, SpanKind.SERVER)
        assert.strictEqual(span.name, `http.server ${method ?? "HTTP"}`)
        assert.strictEqual(span.attributes["error.type"], "bad_request")
        assert.strictEqual(span.attributes["http.response.status_code"], 400)
        assert.strictEqual(span.attributes["http.request.method"], method)
        assert.strictEqual(span.status.code, SpanStatusCode.UNSET)
      }
      assert.strictEqual((yield* counted) - before, 2)
    }).pipe(Effect.scoped))
})
