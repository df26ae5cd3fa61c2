/**
 * The authentication flows resource of the identity-admin API: a named list of steps, each a check on the attributes
 * of a sign-in (`email`, `mfa`, `risk_score`…). A flow is created inactive; only an active flow runs. Running it
 * checks its steps in order against the input: the first that fails denies, and if none fails the flow allows.
 */
import { Validation } from "@errata/domain"
import { Schema } from "effect"
import { ResourceName } from "./Organization.js"

export const FlowId = Schema.String.pipe(
  Schema.pattern(/^flow_[0-9a-f]{32}$/),
  Validation.rule({ message: "must be a flow id: flow_ and 32 hexadecimal digits" }),
  Schema.brand("FlowId"),
  Schema.annotations({ description: "A flow's id" })
)

export type FlowId = typeof FlowId.Type

/** The name of an attribute of the input. */
const Field = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))

/** The value of an attribute of the input. */
export const FlowValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean)

export type FlowValue = typeof FlowValue.Type

/** The attribute is there, and not the empty string. */
export const Present = Schema.Struct({ type: Schema.Literal("present"), field: Field })

/** The attribute is this value, of this type. */
export const Equals = Schema.Struct({ type: Schema.Literal("equals"), field: Field, value: FlowValue })

/** The attribute is one of these strings. */
export const OneOf = Schema.Struct({
  type: Schema.Literal("one_of"),
  field: Field,
  values: Schema.Array(Schema.String).pipe(Schema.minItems(1), Schema.maxItems(100))
})

/** The attribute is a string that ends with this suffix (an email's domain). */
export const EndsWith = Schema.Struct({ type: Schema.Literal("ends_with"), field: Field, suffix: Schema.String })

/** The attribute is a number at least this one. */
export const AtLeast = Schema.Struct({ type: Schema.Literal("at_least"), field: Field, min: Schema.Number })

/** A check on one attribute of the input. */
export const FlowStep = Schema.Union(Present, Equals, OneOf, EndsWith, AtLeast)

export type FlowStep = typeof FlowStep.Type

export class Flow extends Schema.Class<Flow>("Flow")({
  id: FlowId,
  name: Schema.String,
  steps: Schema.Array(FlowStep),
  active: Schema.Boolean,
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at")),
  updatedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("updated_at"))
}) {}

export class FlowList extends Schema.Class<FlowList>("FlowList")({ flows: Schema.Array(Flow) }) {}

export class CreateFlow extends Schema.Class<CreateFlow>("CreateFlow")(
  Schema.Struct({
    name: ResourceName,
    steps: Schema.Array(FlowStep).pipe(
      Schema.minItems(1),
      Schema.maxItems(50)
    )
  })
) {}

/** The attributes of a sign-in to run a flow on. */
export class ExecuteFlow extends Schema.Class<ExecuteFlow>("ExecuteFlow")({
  input: Schema.Record({ key: Schema.String, value: FlowValue })
}) {}

/** One step as it was checked. */
export class StepResult extends Schema.Class<StepResult>("StepResult")({
  step: Schema.Int,
  type: Schema.String,
  field: Schema.String,
  passed: Schema.Boolean
}) {}

/** A run of a flow: `allow` when every step passed, else `deny` at the first step that failed. */
export class FlowResult extends Schema.Class<FlowResult>("FlowResult")({
  flowId: Schema.propertySignature(FlowId).pipe(Schema.fromKey("flow_id")),
  outcome: Schema.Literal("allow", "deny"),
  steps: Schema.Array(StepResult),
  failedStep: Schema.optionalWith(Schema.Int, { exact: true }).pipe(Schema.fromKey("failed_step"))
}) {}
