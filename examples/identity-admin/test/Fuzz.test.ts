/**
 * The contract fuzzer (`fuzz/`), bounded: a fixed seed's probes — valid and near-valid requests generated from the
 * API's schemas — sent over real HTTP to the reference service in several formats, each answer held to what every
 * answer must be (`fuzz/Checks.ts`). A failure is fast-check's counterexample, shrunk, with its seed and path, the
 * request that was sent and the answer; `pnpm fuzz -- --format <name> --seed <seed> --replay <path>` sends that probe
 * again. The checks themselves are held to answers that break each rule, and a 500 passes them only when a fault is
 * forced and the endpoint's handler declares it.
 */
import { assert, describe, layer } from "@effect/vitest"
import { GoogleRpc, WireFormat } from "@errata/domain"
import { DatabaseError, FlowNotFound, InternalError, UserNotFound } from "@errata/domain/Errors"
import { ErrataConfig } from "@errata/server"
import { Context, Effect, Layer } from "effect"
import { AdminApi } from "../src/Api.js"
import * as Checks from "../fuzz/Checks.js"
import * as Fuzz from "../fuzz/Fuzz.js"
import type * as Probes from "../fuzz/Probes.js"
import * as Service from "../fuzz/Service.js"
import type { TestDatabase } from "./fixtures/Database.js"
import { fresh, holdingWriteLock } from "./fixtures/Database.js"
import { admin, service, webhookSecret } from "./fixtures/Service.js"

const seed = 14
const runs = 100
const formats = [WireFormat.OAuthDetails, WireFormat.ProblemDetails, GoogleRpc.format, WireFormat.OAuthStyle]

/** The database of the target: a connection of the test's own to it, to hold its write lock. */
class Faulty extends Context.Tag("test/Fuzz/Database")<Faulty, TestDatabase>() {}

/** The reference service in `format`, exporting to a destination that takes every export, as the fuzzer's target. */
const target = (format: WireFormat.Any, options: { readonly lockWaitMs?: number; readonly faults?: boolean } = {}) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const exportUrl = yield* Service.exportDestination
    const database = yield* fresh(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {})
    return Service.target({
      config: ErrataConfig.resolve({ format }),
      clientId: admin.clientId,
      clientSecret: admin.clientSecret,
      webhookSecret,
      faults: options.faults ?? false,
      timeout: "5 seconds"
    }).pipe(
      Layer.provideMerge(service({ errata: { format }, exportUrl, database: database.options })),
      Layer.provideMerge(Layer.succeed(Faulty, database))
    )
  }))

describe("Fuzzing from the contract", () => {
  for (const format of formats) {
    layer(target(format), { excludeTestServices: true, timeout: "30 seconds" })(format.name, (it) => {
      it.effect.prop(
        "every answer has X-Request-ID, a declared status, a body in the format and as documented, and no 500",
        [Fuzz.probes(AdminApi, ErrataConfig.resolve({ format }).formats)],
        ([probe]) => Fuzz.property(probe),
        { timeout: 60_000, fastCheck: { seed, numRuns: runs } }
      )
    })
  }

  layer(target(WireFormat.OAuthDetails, { lockWaitMs: 50, faults: true }), {
    excludeTestServices: true,
    timeout: "30 seconds"
  })("with the database's write lock held by another connection", (it) => {
    it.effect("the handlers' own database errors are the only 500s", () =>
      Effect.gen(function*() {
        yield* holdingWriteLock(yield* Faulty)
        const summary = yield* Fuzz.campaign({ seed, runs: 60, timeLimit: "40 seconds" })
        assert.deepStrictEqual(summary.failures.map((found) => Fuzz.describe(found.outcome)), [])
        const answered = Array.from(summary.statuses.values()).flatMap((counts) => Array.from(counts.keys()))
        assert.isTrue(answered.includes(500) || answered.includes(503), `no fault was answered: ${answered.join(", ")}`)
      }).pipe(Effect.scoped), 60_000)
  })

  layer(target(WireFormat.OAuthDetails), { excludeTestServices: true, timeout: "30 seconds" })("the checks", (it) => {
    it.effect("find every rule an answer breaks", () =>
      Effect.gen(function*() {
        const { checks, endpoints } = yield* Fuzz.Target
        const users = endpoints.get("users.get")!
        const request: Probes.Request = {
          method: "GET",
          target: "/api/admin/users/usr_1",
          headers: [["x-request-id", "caller-1"]],
          body: undefined,
          framing: "length",
          malformed: false
        }
        const answer = (error: Parameters<typeof WireFormat.OAuthDetails.encode>[0], requestId = "caller-1") => {
          const wire = WireFormat.OAuthDetails.encode(error, { requestId })
          return { ...wire, headers: { ...wire.headers, "x-request-id": requestId }, utf8: true }
        }
        const notFound = answer(new UserNotFound({ message: "The specified user was not found", userId: "usr_1" }))
        const problems = (found: Checks.Answer | undefined, context = checks) =>
          Checks.problems(context, users, request, found)

        assert.deepStrictEqual(problems(notFound), [])
        assert.isFalse(Service.known.some((known) => known.matches(request)), "a known defect excuses a plain request")
        assert.deepStrictEqual(problems(undefined), ["no complete answer"])
        const { "x-request-id": _, ...withoutId } = notFound.headers
        assert.deepStrictEqual(problems({ ...notFound, headers: withoutId }), ["no X-Request-ID"])
        assert.deepStrictEqual(problems(answer(new UserNotFound({ message: "x", userId: "usr_1" }), "req_other")), [
          "X-Request-ID req_other is not the caller's caller-1"
        ])
        const flow = problems(answer(new FlowNotFound({ message: "The specified flow was not found" })))
        assert.include(flow[0], "FlowNotFound is not an error users.get declares")
        assert.include(flow[1], "not as the OpenAPI document says")
        const problem = WireFormat.ProblemDetails.encode(new UserNotFound({ message: "x", userId: "usr_1" }))
        assert.include(
          problems({ ...problem, headers: { ...problem.headers, "x-request-id": "caller-1" }, utf8: true })[0],
          "not in the oauth-details format"
        )
        assert.include(problems({ ...notFound, body: "<html>" })[0], "the error body is not JSON")
        assert.include(problems({ ...notFound, status: 200, body: "{\"id\":1}" })[0], "not as the OpenAPI document says")
        const internal = answer(new InternalError({ message: "An internal error occurred" }))
        assert.include(problems(internal), "500: the server failed")
        const database = answer(new DatabaseError({ message: "A database error occurred" }))
        assert.include(problems(database), "500: the server failed")
        assert.deepStrictEqual(problems(database, { ...checks, faults: true }), [])
        assert.include(problems(internal, { ...checks, faults: true }), "500: the server failed")
      }))  })
})
