/**
 * The service's authentication flows: created inactive with a name unique as written, activated and deactivated by
 * an administrator, and run on the attributes of a sign-in — only while active (400 `flow_inactive`). A run is
 * `evaluate`: deterministic, and without effects of its own.
 */
import type { SqlError } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import type { DatabaseError } from "@errata/domain/Errors"
import { DuplicateName, FlowInactive, FlowNotFound } from "@errata/domain/Errors"
import { Clock, Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { CreateFlow, FlowId, FlowValue } from "./Flow.js"
import { Flow, FlowResult, FlowStep, StepResult } from "./Flow.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"

interface FlowRow {
  readonly id: string
  readonly name: string
  readonly steps: string
  readonly active: number | string
  readonly created_at: number | string
  readonly updated_at: number | string
}

const iso = (millis: number | string) => new Date(Number(millis)).toISOString()

const decodeFlow = Schema.decodeUnknown(Flow)
const encodeSteps = Schema.encodeSync(Schema.parseJson(Schema.Array(FlowStep)))
const parseJson = Schema.decodeUnknown(Schema.parseJson())

const flowOf = (row: FlowRow) =>
  Effect.flatMap(parseJson(row.steps), (steps) =>
    decodeFlow({
      id: row.id,
      name: row.name,
      steps,
      active: Number(row.active) !== 0,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at)
    }))

const newFlowId = () => `flow_${randomUUID().replace(/-/g, "")}` as FlowId

const passes = (step: FlowStep, value: FlowValue | undefined): boolean => {
  switch (step.type) {
    case "present":
      return value !== undefined && value !== ""
    case "equals":
      return value === step.value
    case "one_of":
      return typeof value === "string" && step.values.includes(value)
    case "ends_with":
      return typeof value === "string" && value.endsWith(step.suffix)
    case "at_least":
      return typeof value === "number" && value >= step.min
  }
}

/** Checks the flow's steps in order against the input, up to the first that fails. */
export const evaluate = (flow: Flow, input: Readonly<Record<string, FlowValue>>): FlowResult => {
  const steps: Array<StepResult> = []
  for (const [index, step] of flow.steps.entries()) {
    const passed = passes(step, Object.hasOwn(input, step.field) ? input[step.field] : undefined)
    steps.push(new StepResult({ step: index, type: step.type, field: step.field, passed }))
    if (!passed) return new FlowResult({ flowId: flow.id, outcome: "deny", steps, failedStep: index })
  }
  return new FlowResult({ flowId: flow.id, outcome: "allow", steps })
}

export class Flows extends Effect.Service<Flows>()("identity-admin/Flows", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const notFound = new FlowNotFound({ message: "The specified flow was not found" })

    const create = (input: CreateFlow): Effect.Effect<Flow, DuplicateName | DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const row: FlowRow = {
          id: newFlowId(),
          name: input.name,
          steps: encodeSteps(input.steps),
          active: 0,
          created_at: now,
          updated_at: now
        }
        yield* sql`INSERT INTO flows ${sql.insert({ ...row })}`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, DuplicateName | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new DuplicateName({ message: "A flow with this name already exists" }))
              : Effect.fail(error))
        )
        return yield* flowOf(row)
      }).pipe(orDatabaseError)

    const get = (id: FlowId): Effect.Effect<Flow, FlowNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const [row] = yield* sql<FlowRow>`SELECT id, name, steps, active, created_at, updated_at FROM flows
          WHERE id = ${id}`
        return row === undefined ? yield* Effect.fail(notFound) : yield* flowOf(row)
      }).pipe(orDatabaseError)

    const list: Effect.Effect<ReadonlyArray<Flow>, DatabaseError> = sql<FlowRow>`
      SELECT id, name, steps, active, created_at, updated_at FROM flows ORDER BY created_at, id`.pipe(
      Effect.flatMap(Effect.forEach(flowOf)),
      orDatabaseError
    )

    const setActive = (id: FlowId, active: boolean): Effect.Effect<Flow, FlowNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* sql<FlowRow>`UPDATE flows SET active = ${active ? 1 : 0}, updated_at = ${now}
          WHERE id = ${id} RETURNING id, name, steps, active, created_at, updated_at`
        return yield* rows[0] === undefined ? Effect.fail(notFound) : flowOf(rows[0])
      }).pipe(orDatabaseError)

    /** Runs an active flow on the input. */
    const execute = (
      id: FlowId,
      input: Readonly<Record<string, FlowValue>>
    ): Effect.Effect<FlowResult, FlowNotFound | FlowInactive | DatabaseError> =>
      Effect.flatMap(get(id), (flow) =>
        flow.active
          ? Effect.succeed(evaluate(flow, input))
          : Effect.fail(
            new FlowInactive({ message: "The flow is inactive; activate it before running it" })
          ))

    return { create, get, list, setActive, execute } as const
  })
}) {}
