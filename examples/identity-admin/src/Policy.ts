/**
 * The policies resource of the identity-admin API: a named set of permissions, attached to organizations' roles
 * (`Role.ts`). A permission is a string such as `invoices:read`; the service stores and reports permissions, the
 * applications that trust its roles decide what they allow.
 */
import { Validation } from "@errata/domain"
import { Schema } from "effect"
import { ResourceName } from "./Organization.js"

export const PolicyId = Schema.String.pipe(
  Schema.pattern(/^pol_[0-9a-f]{32}$/),
  Validation.rule({ message: "must be a policy id: pol_ and 32 hexadecimal digits" }),
  Schema.brand("PolicyId"),
  Schema.annotations({ description: "A policy's id" })
)

export type PolicyId = typeof PolicyId.Type

/** A permission: words of letters, digits, `_`, `.`, `-` or `*`, separated by colons (`invoices:read`). */
export const Permission = Schema.String.pipe(
  Schema.maxLength(100),
  Schema.pattern(/^[A-Za-z0-9_.*-]+(:[A-Za-z0-9_.*-]+)*$/),
  Validation.rule({ message: "must be words of letters, digits, _, ., - or * separated by colons, such as invoices:read" })
)

export class Policy extends Schema.Class<Policy>("Policy")({
  id: PolicyId,
  name: Schema.String,
  permissions: Schema.Array(Permission),
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at"))
}) {}

export class PolicyList extends Schema.Class<PolicyList>("PolicyList")({ policies: Schema.Array(Policy) }) {}

export class CreatePolicy extends Schema.Class<CreatePolicy>("CreatePolicy")(
  Schema.Struct({
    name: ResourceName,
    permissions: Schema.Array(Permission).pipe(
      Schema.minItems(1),
      Schema.maxItems(100)
    )
  })
) {}
