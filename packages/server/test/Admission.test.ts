import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { WireFormat } from "@errata/domain"
import { ServiceUnavailable } from "@errata/domain/Errors"
import { Admission } from "@errata/server"
import { Effect, Fiber, Layer, Schedule } from "effect"
import { assertAnswers, send, testServer } from "./fixtures/TestServer.js"

const served = (admission: Admission.Admission["Type"]) =>
  testServer({ admission: Layer.succeed(Admission.Admission, admission), logs: [] })

/** Waits, a bounded number of times, until `admission` counts `n` requests in flight. */
const untilInFlight = (admission: Admission.Admission["Type"], n: number) =>
  admission.inFlight.pipe(
    Effect.filterOrFail((count) => count === n, () => `not ${n} in flight`),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(200)))),
    Effect.orDie
  )

const overloaded = new ServiceUnavailable({
  message: "The service is handling too many requests; try again shortly",
  retryAfter: 2
})

describe("Admission", () => {
  it.live("answers 503 with Retry-After past the bound on requests in flight, before routing, and admits again once they end", () => {
    const admission = Admission.make({ maxConcurrent: 2, retryAfter: "2 seconds" })
    return Effect.gen(function*() {
      const slow = yield* Effect.fork(Effect.all([send(HttpClientRequest.get("/slow")), send(HttpClientRequest.get("/slow"))], {
        concurrency: "unbounded"
      }))
      yield* untilInFlight(admission, 2)
      const check = assertAnswers(WireFormat.OAuthDetails, "req_adm")
      const answer = yield* check(HttpClientRequest.get("/items/known"), overloaded)
      assert.strictEqual(answer.headers["retry-after"], "2")
      // Turned away before routing: an unknown route is not a 404 then.
      yield* check(HttpClientRequest.get("/nowhere"), overloaded)

      const [first, second] = yield* Fiber.join(slow)
      assert.deepStrictEqual([first.status, second.status], [504, 504])
      yield* untilInFlight(admission, 0)
      assert.strictEqual((yield* send(HttpClientRequest.get("/items/known"))).status, 200)
    }).pipe(Effect.provide(served(admission)))
  })

  it.live("does not count the exempt requests, and turns away no more than the bound; 0 is no bound", () =>
    Effect.gen(function*() {
      // Counted, the second of two slow requests at once would be turned away by a bound of one.
      const bounded = Admission.make({ maxConcurrent: 1, exempt: (request) => request.url === "/slow" })
      const slow = send(HttpClientRequest.get("/slow"))
      const answers = yield* Effect.all([slow, slow], { concurrency: "unbounded" }).pipe(Effect.provide(served(bounded)))
      assert.deepStrictEqual(answers.map((answer) => answer.status), [504, 504])
      const unbounded = Admission.make({ maxConcurrent: 0 })
      assert.strictEqual((yield* send(HttpClientRequest.get("/items/known")).pipe(Effect.provide(served(unbounded)))).status, 200)
    }))

  it.live("gives a request's place back whatever its end: an error, a defect, an invalid body", () => {
    const admission = Admission.make({ maxConcurrent: 1 })
    return Effect.gen(function*() {
      for (const request of [
        HttpClientRequest.get("/items/unknown"),
        HttpClientRequest.get("/defect"),
        HttpClientRequest.post("/people").pipe(HttpClientRequest.bodyText("{", "application/json")),
        HttpClientRequest.get("/nowhere")
      ]) {
        const answer = yield* send(request)
        assert.notStrictEqual(answer.status, 503)
      }
      yield* untilInFlight(admission, 0)
      assert.strictEqual((yield* send(HttpClientRequest.get("/items/known"))).status, 200)
    }).pipe(Effect.provide(served(admission)))
  })

  it.live("in maintenance answers every request but those open in maintenance 503, until the switch is turned off", () => {
    const admission = Admission.make({ openInMaintenance: (request) => request.url === "/items/known" })
    return Effect.gen(function*() {
      yield* admission.setMaintenance(true)
      assert.isTrue(yield* admission.maintenance)
      const answer = yield* assertAnswers(WireFormat.ProblemDetails, "req_mnt")(
        HttpClientRequest.get("/items/other").pipe(HttpClientRequest.setHeader("accept", "application/problem+json")),
        new ServiceUnavailable({ message: "The service is down for maintenance; try again later", retryAfter: 60 })
      )
      assert.strictEqual(answer.headers["retry-after"], "60")
      assert.strictEqual((yield* send(HttpClientRequest.get("/items/known"))).status, 200)

      yield* admission.setMaintenance(false)
      assert.strictEqual((yield* send(HttpClientRequest.get("/items/other"))).status, 404)
    }).pipe(Effect.provide(served(admission)))
  })
})
