import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { ServiceUnavailable, UserNotFound } from "@errata/domain/Errors"
import { ErrataClient } from "@errata/client"
import { SpanKind, SpanStatusCode } from "@opentelemetry/api"
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Logger, LogLevel } from "effect"
import type { Answer } from "./fixtures/ScriptedServer.js"
import { scriptedServer, user } from "./fixtures/ScriptedServer.js"
import { UserId, UsersApi } from "./fixtures/UsersApi.js"

const encoded = (error: ServiceUnavailable | UserNotFound, headers: Record<string, string> = {}): Answer => {
  const wire = WireFormat.OAuthDetails.encode(error)
  return { status: wire.status, headers: { ...wire.headers, ...headers }, body: wire.body }
}

/** A fresh exporter per test: the tracer provider shuts its processor down with the test's scope. */
const traced = (spans: InMemorySpanExporter) =>
  Layer.mergeAll(
    NodeHttpClient.layer,
    Logger.minimumLogLevel(LogLevel.None),
    NodeSdk.layer(() => ({ spanProcessor: new SimpleSpanProcessor(spans) }))
  )

const childrenOf = (spans: ReadonlyArray<ReadableSpan>, parent: ReadableSpan) =>
  spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)

const byName = (spans: ReadonlyArray<ReadableSpan>, name: string) => spans.filter((span) => span.name === name)

describe("ErrataClient spans", () => {
  it.scopedLive("a retried call is one span, with one span per attempt under it, each with its outcome", () => {
    const spans = new InMemorySpanExporter()
    return Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([
        encoded(new ServiceUnavailable({ requestId: "req_try_1" }), { "x-request-id": "req_try_1" }),
        encoded(new ServiceUnavailable({ requestId: "req_try_2" }), { "x-request-id": "req_try_2" }),
        {
          status: 200,
          headers: { "content-type": "application/json", "x-request-id": "req_try_3" },
          body: JSON.stringify(user)
        }
      ])
      const client = yield* ErrataClient.make(UsersApi, {
        baseUrl: server.url,
        retry: { baseTransient: "1 millis", baseThrottled: "1 millis" }
      })
      const found = yield* client.users.get({ path: { id: UserId.make("usr_1") } })
      assert.strictEqual(found.id, user.id)

      const finished = spans.getFinishedSpans()
      const [call] = byName(finished, "users.get")
      assert.isDefined(call)
      assert.strictEqual(call!.status.code, SpanStatusCode.OK)
      assert.strictEqual(call!.attributes["http.request.method"], "GET")
      assert.strictEqual(call!.attributes["url.template"], "/api/admin/users/:id")
      assert.strictEqual(call!.attributes["http.response.status_code"], 200)
      assert.strictEqual(call!.attributes["errata.request_id"], "req_try_3")
      assert.isUndefined(call!.attributes["error.type"])

      const attempts = childrenOf(finished, call!).sort((a, b) =>
        a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]
      )
      assert.deepStrictEqual(attempts.map((span) => span.name), Array(3).fill("users.get attempt"))
      assert.strictEqual(byName(finished, "users.get attempt").length, 3)
      assert.deepStrictEqual(
        attempts.map((span) => [
          span.status.code,
          span.attributes["error.type"],
          span.attributes["http.response.status_code"],
          span.attributes["errata.request_id"],
          span.attributes["http.request.resend_count"]
        ]),
        [
          [SpanStatusCode.ERROR, "service_unavailable", 503, "req_try_1", undefined],
          [SpanStatusCode.ERROR, "service_unavailable", 503, "req_try_2", 1],
          [SpanStatusCode.OK, undefined, 200, "req_try_3", 2]
        ]
      )
      // Under each attempt, the platform's HTTP client span of the request it sent.
      for (const attempt of attempts) {
        assert.deepStrictEqual(childrenOf(finished, attempt).map((span) => span.kind), [SpanKind.CLIENT])
      }
    }).pipe(Effect.provide(traced(spans)))
  })

  it.scopedLive("a failed call records the error code, status and request id, with status ERROR", () => {
    const spans = new InMemorySpanExporter()
    return Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([encoded(new UserNotFound({ requestId: "req_gone" }))])
      const client = yield* ErrataClient.make(UsersApi, { baseUrl: server.url })
      yield* Effect.flip(client.users.get({ path: { id: UserId.make("usr_1") } }))

      const finished = spans.getFinishedSpans()
      const [call] = byName(finished, "users.get")
      const attempts = childrenOf(finished, call!)
      assert.strictEqual(attempts.length, 1)
      for (const span of [call!, attempts[0]!]) {
        assert.strictEqual(span.status.code, SpanStatusCode.ERROR, span.name)
        assert.strictEqual(span.attributes["error.type"], "user_not_found", span.name)
        assert.strictEqual(span.attributes["http.response.status_code"], 404, span.name)
        assert.strictEqual(span.attributes["errata.request_id"], "req_gone", span.name)
      }
    }).pipe(Effect.provide(traced(spans)))
  })

  it.scopedLive("an attempt with no answer records transport_<reason>, and no status", () => {
    const spans = new InMemorySpanExporter()
    return Effect.gen(function*() {
      const server = yield* scriptedServer
      server.script([], () => ({ hang: true }))
      const client = yield* ErrataClient.make(UsersApi, {
        baseUrl: server.url,
        retry: false,
        attemptTimeout: "50 millis"
      })
      yield* Effect.flip(client.users.get({ path: { id: UserId.make("usr_1") } }))

      const [call] = byName(spans.getFinishedSpans(), "users.get")
      assert.strictEqual(call!.attributes["error.type"], "transport_timeout")
      assert.isUndefined(call!.attributes["http.response.status_code"])
      assert.strictEqual(call!.status.code, SpanStatusCode.ERROR)
    }).pipe(Effect.provide(traced(spans)))
  })
})
