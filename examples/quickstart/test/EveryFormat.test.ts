import { HttpClientRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { ErrataClient } from "@errata/client"
import { BuiltinFormats, WireFormat } from "@errata/domain"
import { ErrataConfig, Testing } from "@errata/server"
import { Effect, Layer } from "effect"
import { Api, PlanLimitReached, Project } from "../src/Api.js"
import { FaultEnvelope } from "../src/Fault.js"
import { ServerLive } from "../src/Server.js"

/** The quickstart's server in `format`, on a random loopback port, and an `HttpClient` pointed at it. */
const served = (format: WireFormat.Any) =>
  ServerLive.pipe(
    Layer.provide(ErrataConfig.layer({ format, alternatives: [] })),
    Layer.provide(Testing.captureLogs([])),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )

const createFour = (options: Partial<ErrataClient.Options> = {}) =>
  Effect.gen(function*() {
    const client = yield* ErrataClient.make(Api, { baseUrl: "", retry: false, ...options })
    const created: Array<Project> = []
    for (const name of ["alpha", "beta", "gamma"]) created.push(yield* client.projects.create({ payload: { name } }))
    return { created, fourth: yield* Effect.flip(client.projects.create({ payload: { name: "delta" } })) }
  })

describe("A user's own error on a user's own API, served and called", () => {
  for (const format of BuiltinFormats.all) {
    it.scopedLive(`arrives as its own class in ${format.name}, with no client configuration`, () =>
      Effect.gen(function*() {
        const context = yield* Layer.build(served(format))
        const { created, fourth } = yield* createFour().pipe(Effect.provide(context))
        assert.deepStrictEqual(created.map((project) => project.id), ["prj_1", "prj_2", "prj_3"])
        assert.instanceOf(fourth, PlanLimitReached)
        assert.strictEqual(fourth.limit, 3)
        assert.match(fourth.requestId ?? "", /^req_[0-9a-f]{32}$/)
      }))
  }

  it.scopedLive("arrives as its own class in a format of the user's own, given to the client", () =>
    Effect.gen(function*() {
      const fault = WireFormat.make(FaultEnvelope)
      const context = yield* Layer.build(served(fault))
      const { fourth } = yield* createFour({ formats: [fault, ...BuiltinFormats.all] }).pipe(Effect.provide(context))
      assert.instanceOf(fourth, PlanLimitReached)
      assert.strictEqual(fourth.limit, 3)
      const answer = yield* Testing.send(
        HttpClientRequest.post("/projects").pipe(HttpClientRequest.bodyUnsafeJson({ name: "epsilon" }))
      ).pipe(Effect.provide(context))
      assert.strictEqual(answer.status, 403)
      assert.strictEqual(answer.headers["content-type"], "application/vnd.fault+json")
      assert.deepStrictEqual(JSON.parse(answer.body), {
        fault: { id: "plan_limit_reached", text: "The plan does not allow more of this resource", ticket: answer.headers["x-request-id"], limit: 3 }
      })
    }))
})
