/**
 * The roles resource of the identity-admin API: roles that belong to an organization, carry policies, and are
 * assigned to the organization's members.
 *
 * These roles are not the built-in `role` of a user (`User.ts`: `admin` or `member`), which says what the caller may
 * do in this service and which the security layer checks. An organization's roles say what its members may do in the
 * applications that trust this service; the service keeps and reports them, and grants nothing of its own by them.
 */
import { Validation } from "@errata/domain"
import { Schema } from "effect"
import { OrganizationId, ResourceName } from "./Organization.js"
import { Permission, PolicyId } from "./Policy.js"
import { UserId } from "./User.js"

export const RoleId = Schema.String.pipe(
  Schema.pattern(/^role_[0-9a-f]{32}$/),
  Validation.rule({ message: "must be a role id: role_ and 32 hexadecimal digits" }),
  Schema.brand("RoleId"),
  Schema.annotations({ description: "A role's id" })
)

export type RoleId = typeof RoleId.Type

/** A role of an organization, with the policies attached to it. Its name is unique within its organization. */
export class Role extends Schema.Class<Role>("Role")({
  id: RoleId,
  organizationId: Schema.propertySignature(OrganizationId).pipe(Schema.fromKey("organization_id")),
  name: Schema.String,
  policyIds: Schema.propertySignature(Schema.Array(PolicyId)).pipe(Schema.fromKey("policy_ids")),
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at"))
}) {}

export class RoleList extends Schema.Class<RoleList>("RoleList")({ roles: Schema.Array(Role) }) {}

export class CreateRole extends Schema.Class<CreateRole>("CreateRole")(
  Schema.Struct({ name: ResourceName })
) {}

export class AssignRole extends Schema.Class<AssignRole>("AssignRole")({
  roleId: Schema.propertySignature(RoleId).pipe(Schema.fromKey("role_id"))
}) {}

/** A role assigned to a user. */
export class RoleAssignment extends Schema.Class<RoleAssignment>("RoleAssignment")({
  userId: Schema.propertySignature(UserId).pipe(Schema.fromKey("user_id")),
  roleId: Schema.propertySignature(RoleId).pipe(Schema.fromKey("role_id")),
  organizationId: Schema.propertySignature(OrganizationId).pipe(Schema.fromKey("organization_id")),
  roleName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("role_name")),
  assignedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("assigned_at"))
}) {}

/** A user's roles, and the permissions of their policies, each once. */
export class RoleAssignmentList extends Schema.Class<RoleAssignmentList>("RoleAssignmentList")({
  assignments: Schema.Array(RoleAssignment),
  permissions: Schema.Array(Permission)
}) {}
