/**
 * Authentication flows over real HTTP, with the real client: created inactive, run only while active
 * (`flow_inactive`), and a run that checks the steps in order against the input, up to the first that fails.
 */
import { assert, describe, it } from "@effect/vitest"
import { DuplicateName, FlowInactive, FlowNotFound, Forbidden } from "@errata/domain/Errors"
import { DateTime, Effect } from "effect"
import { Flow, type FlowId, type FlowStep } from "../src/Flow.js"
import { evaluate } from "../src/Flows.js"
import { recording, refused } from "./fixtures/Recording.js"
import { adminToken, createUser, service, userTokens } from "./fixtures/Service.js"

const unknownFlow = `flow_${"0".repeat(32)}` as FlowId

const asAdmin = Effect.flatMap(adminToken(), recording)

const steps: ReadonlyArray<FlowStep> = [
  { type: "present", field: "email" },
  { type: "ends_with", field: "email", suffix: "@example.com" },
  { type: "equals", field: "mfa", value: true },
  { type: "one_of", field: "country", values: ["FR", "DE"] },
  { type: "at_least", field: "assurance", min: 2 }
]

describe("Flows", () => {
  it.effect("are created inactive, read and listed; a name is unique as written", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const flow = yield* client.flows.create({ payload: { name: "Sign-in", steps } })
      assert.strictEqual(status(), 201)
      assert.match(flow.id, /^flow_[0-9a-f]{32}$/)
      assert.deepInclude(flow, { name: "Sign-in", active: false })
      assert.deepStrictEqual(flow.steps, steps)
      yield* refused(client.flows.create({ payload: { name: "Sign-in", steps } }), DuplicateName, status)
      const lower = yield* client.flows.create({ payload: { name: "sign-in", steps } })
      assert.deepStrictEqual(yield* client.flows.get({ path: { id: flow.id } }), flow)
      assert.deepStrictEqual((yield* client.flows.list()).flows.map((f) => f.id).sort(), [flow.id, lower.id].sort())
      yield* refused(client.flows.get({ path: { id: unknownFlow } }), FlowNotFound, status)
    }).pipe(Effect.provide(service())))

  it.effect("run only while active: flow_inactive, then an answer once activated, and flow_inactive again once deactivated", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const flow = yield* client.flows.create({ payload: { name: "Sign-in", steps } })
      const input = { email: "ann@example.com", mfa: true, country: "FR", assurance: 2 }
      const inactive = yield* refused(
        client.flows.execute({ path: { id: flow.id }, payload: { input } }),
        FlowInactive,
        status
      )
      assert.strictEqual(inactive.message, "The flow is inactive; activate it before running it")

      const activated = yield* client.flows.activate({ path: { id: flow.id } })
      assert.strictEqual(status(), 200)
      assert.isTrue(activated.active)
      assert.isTrue((yield* client.flows.get({ path: { id: flow.id } })).active)
      const allowed = yield* client.flows.execute({ path: { id: flow.id }, payload: { input } })
      assert.strictEqual(status(), 200)
      assert.strictEqual(allowed.outcome, "allow")
      assert.isUndefined(allowed.failedStep)
      assert.deepStrictEqual(allowed.steps.map((step) => step.passed), [true, true, true, true, true])

      const denied = yield* client.flows.execute({
        path: { id: flow.id },
        payload: { input: { ...input, mfa: "yes" } }
      })
      assert.strictEqual(denied.outcome, "deny")
      assert.strictEqual(denied.failedStep, 2)
      assert.deepStrictEqual(
        denied.steps.map((step) => [step.type, step.passed]),
        [["present", true], ["ends_with", true], ["equals", false]]
      )

      const deactivated = yield* client.flows.deactivate({ path: { id: flow.id } })
      assert.isFalse(deactivated.active)
      yield* refused(client.flows.execute({ path: { id: flow.id }, payload: { input } }), FlowInactive, status)
    }).pipe(Effect.provide(service())))

  it.effect("answer an unknown flow with flow_not_found, and a member with forbidden", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      yield* refused(client.flows.activate({ path: { id: unknownFlow } }), FlowNotFound, status)
      yield* refused(client.flows.deactivate({ path: { id: unknownFlow } }), FlowNotFound, status)
      yield* refused(client.flows.execute({ path: { id: unknownFlow }, payload: { input: {} } }), FlowNotFound, status)

      const flow = yield* client.flows.create({ payload: { name: "Sign-in", steps } })
      yield* createUser({ email: "mia@example.com", password: "s3cretpass" })
      const mia = yield* recording((yield* userTokens("mia@example.com", "s3cretpass")).access_token)
      yield* refused(mia.client.flows.create({ payload: { name: "Mine", steps } }), Forbidden, mia.status)
      yield* refused(mia.client.flows.get({ path: { id: flow.id } }), Forbidden, mia.status)
      yield* refused(mia.client.flows.list(), Forbidden, mia.status)
      yield* refused(mia.client.flows.activate({ path: { id: flow.id } }), Forbidden, mia.status)
      yield* refused(mia.client.flows.execute({ path: { id: flow.id }, payload: { input: {} } }), Forbidden, mia.status)
    }).pipe(Effect.provide(service())))
})

describe("evaluate", () => {
  const flowOf = (...checks: ReadonlyArray<FlowStep>) =>
    new Flow({
      id: unknownFlow,
      name: "Test",
      steps: checks,
      active: true,
      createdAt: DateTime.unsafeMake(0),
      updatedAt: DateTime.unsafeMake(0)
    })
  const outcome = (step: FlowStep, input: Record<string, string | number | boolean>) =>
    evaluate(flowOf(step), input).outcome

  it("checks each kind of step, by value and by type", () => {
    assert.strictEqual(outcome({ type: "present", field: "email" }, { email: "a@b.c" }), "allow")
    assert.strictEqual(outcome({ type: "present", field: "email" }, { email: "" }), "deny")
    assert.strictEqual(outcome({ type: "present", field: "email" }, {}), "deny")
    assert.strictEqual(outcome({ type: "equals", field: "mfa", value: true }, { mfa: true }), "allow")
    assert.strictEqual(outcome({ type: "equals", field: "mfa", value: true }, { mfa: "true" }), "deny")
    assert.strictEqual(outcome({ type: "one_of", field: "c", values: ["FR"] }, { c: "FR" }), "allow")
    assert.strictEqual(outcome({ type: "one_of", field: "c", values: ["FR"] }, { c: "fr" }), "deny")
    assert.strictEqual(outcome({ type: "ends_with", field: "e", suffix: "@x.io" }, { e: "a@x.io" }), "allow")
    assert.strictEqual(outcome({ type: "ends_with", field: "e", suffix: "@x.io" }, { e: 1 }), "deny")
    assert.strictEqual(outcome({ type: "at_least", field: "n", min: 2 }, { n: 2 }), "allow")
    assert.strictEqual(outcome({ type: "at_least", field: "n", min: 2 }, { n: "3" }), "deny")
    // An attribute of every object is not an attribute of the input.
    assert.strictEqual(outcome({ type: "present", field: "constructor" }, {}), "deny")
  })

  it("stops at the first step that fails", () => {
    const result = evaluate(
      flowOf({ type: "present", field: "a" }, { type: "present", field: "b" }, { type: "present", field: "c" }),
      { a: 1, c: 1 }
    )
    assert.deepStrictEqual([result.outcome, result.failedStep, result.steps.length], ["deny", 1, 2])
  })
})
