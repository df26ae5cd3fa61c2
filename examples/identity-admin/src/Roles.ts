/**
 * The roles of organizations: created in an organization with a name unique there (as written), carrying policies,
 * and assigned to users who are members of that organization — a role of another organization makes no sense for
 * them (422 `unprocessable_entity`). These are not the built-in `admin` and `member` of `User.ts` (see `Role.ts`).
 */
import type { SqlError } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import type { DatabaseError, OrganizationNotFound, PolicyNotFound } from "@errata/domain/Errors"
import {
  DuplicateName,
  RoleAlreadyAssigned,
  ResourceNotFound,
  RoleNotFound,
  UnprocessableEntity,
  UserNotFound
} from "@errata/domain/Errors"
import { Clock, Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { OrganizationId } from "./Organization.js"
import { organizationNotFound, userNotFound } from "./Organizations.js"
import { permissionsOf, policyNotFound } from "./Policies.js"
import type { PolicyId } from "./Policy.js"
import type { RoleId } from "./Role.js"
import { Role, RoleAssignment, RoleAssignmentList } from "./Role.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"
import type { UserId } from "./User.js"

interface RoleRow {
  readonly id: string
  readonly organization_id: string
  readonly name: string
  readonly created_at: number | string
}

interface AssignmentRow {
  readonly user_id: string
  readonly role_id: string
  readonly organization_id: string
  readonly role_name: string
  readonly created_at: number | string
}

const iso = (millis: number | string) => new Date(Number(millis)).toISOString()

const decodeRole = Schema.decodeUnknown(Role)
const decodeAssignment = Schema.decodeUnknown(RoleAssignment)

const roleOf = (row: RoleRow, policyIds: ReadonlyArray<string>) =>
  decodeRole({
    id: row.id,
    organization_id: row.organization_id,
    name: row.name,
    policy_ids: policyIds,
    created_at: iso(row.created_at)
  })

const assignmentOf = (row: AssignmentRow) =>
  decodeAssignment({
    user_id: row.user_id,
    role_id: row.role_id,
    organization_id: row.organization_id,
    role_name: row.role_name,
    assigned_at: iso(row.created_at)
  })

const newRoleId = () => `role_${randomUUID().replace(/-/g, "")}` as RoleId

const roleNotFound = (message = "The specified role was not found") => new RoleNotFound({ message })

export class Roles extends Effect.Service<Roles>()("identity-admin/Roles", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const organizationExists = (id: OrganizationId): Effect.Effect<void, OrganizationNotFound | SqlError.SqlError> =>
      Effect.flatMap(
        sql`SELECT 1 AS found FROM organizations WHERE id = ${id}`,
        (rows) => rows.length === 0 ? Effect.fail(organizationNotFound()) : Effect.void
      )

    const userExists = (id: UserId): Effect.Effect<void, UserNotFound | SqlError.SqlError> =>
      Effect.flatMap(
        sql`SELECT 1 AS found FROM users WHERE id = ${id}`,
        (rows) => rows.length === 0 ? Effect.fail(userNotFound(id)) : Effect.void
      )

    const findRow = (id: RoleId): Effect.Effect<RoleRow, RoleNotFound | SqlError.SqlError> =>
      Effect.flatMap(
        sql<RoleRow>`SELECT id, organization_id, name, created_at FROM roles WHERE id = ${id}`,
        (rows) => rows[0] === undefined ? Effect.fail(roleNotFound()) : Effect.succeed(rows[0])
      )

    const withPolicies = (row: RoleRow) =>
      Effect.flatMap(
        sql<{ policy_id: string }>`SELECT policy_id FROM role_policies WHERE role_id = ${row.id}
          ORDER BY created_at, policy_id`,
        (rows) => roleOf(row, rows.map((policy) => policy.policy_id))
      )

    const create = (
      organizationId: OrganizationId,
      name: string
    ): Effect.Effect<Role, OrganizationNotFound | DuplicateName | DatabaseError> =>
      Effect.gen(function*() {
        yield* organizationExists(organizationId)
        const now = yield* Clock.currentTimeMillis
        const row: RoleRow = { id: newRoleId(), organization_id: organizationId, name, created_at: now }
        yield* sql`INSERT INTO roles ${sql.insert({ ...row })}`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, DuplicateName | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new DuplicateName({ message: "The organization already has a role with this name" }))
              : Effect.fail(error))
        )
        return yield* roleOf(row, [])
      }).pipe(orDatabaseError)

    const get = (id: RoleId): Effect.Effect<Role, RoleNotFound | DatabaseError> =>
      Effect.flatMap(findRow(id), withPolicies).pipe(orDatabaseError)

    /** The roles of an organization, in the order they were created. */
    const list = (
      organizationId: OrganizationId
    ): Effect.Effect<ReadonlyArray<Role>, OrganizationNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* organizationExists(organizationId)
        const rows = yield* sql<RoleRow>`SELECT id, organization_id, name, created_at FROM roles
          WHERE organization_id = ${organizationId} ORDER BY created_at, id`
        return yield* Effect.forEach(rows, withPolicies)
      }).pipe(orDatabaseError)

    /** Attaches a policy to a role; one already attached stays as it was. */
    const attachPolicy = (
      id: RoleId,
      policyId: PolicyId
    ): Effect.Effect<Role, RoleNotFound | PolicyNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const row = yield* findRow(id)
        const policies = yield* sql`SELECT 1 AS found FROM policies WHERE id = ${policyId}`
        if (policies.length === 0) return yield* Effect.fail(policyNotFound())
        const now = yield* Clock.currentTimeMillis
        yield* sql`INSERT INTO role_policies ${sql.insert({ role_id: id, policy_id: policyId, created_at: now })}
          ON CONFLICT (role_id, policy_id) DO NOTHING`
        return yield* withPolicies(row)
      }).pipe(sql.withTransaction, orDatabaseError)

    /** Detaches a policy from a role; a policy that is not attached to it is `resource_not_found` (the attachment). */
    const detachPolicy = (
      id: RoleId,
      policyId: PolicyId
    ): Effect.Effect<Role, RoleNotFound | PolicyNotFound | ResourceNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const row = yield* findRow(id)
        const policies = yield* sql`SELECT id FROM policies WHERE id = ${policyId}`
        if (policies.length === 0) return yield* Effect.fail(policyNotFound())
        const removed = yield* sql`DELETE FROM role_policies WHERE role_id = ${id} AND policy_id = ${policyId}
          RETURNING policy_id`
        if (removed.length === 0) {
          return yield* Effect.fail(new ResourceNotFound({ message: "The policy is not attached to this role" }))
        }
        return yield* withPolicies(row)
      }).pipe(sql.withTransaction, orDatabaseError)

    /**
     * Assigns a role to a user who is a member of its organization. The checks run in this order: the user, the
     * role, the membership, and a role the user already has.
     */
    const assign = (
      userId: UserId,
      roleId: RoleId
    ): Effect.Effect<
      RoleAssignment,
      UserNotFound | RoleNotFound | UnprocessableEntity | RoleAlreadyAssigned | DatabaseError
    > =>
      Effect.gen(function*() {
        yield* userExists(userId)
        const role = yield* findRow(roleId)
        const membership = yield* sql`SELECT 1 AS found FROM organization_members
          WHERE organization_id = ${role.organization_id} AND user_id = ${userId}`
        if (membership.length === 0) {
          return yield* Effect.fail(
            new UnprocessableEntity({
              message: "The role belongs to an organization the user is not a member of; add the user to it first"
            })
          )
        }
        const now = yield* Clock.currentTimeMillis
        const assignment = { user_id: userId, role_id: roleId, created_at: now }
        yield* sql`INSERT INTO role_assignments ${sql.insert(assignment)}`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, RoleAlreadyAssigned | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new RoleAlreadyAssigned({ message: "The user already has this role" }))
              : Effect.fail(error))
        )
        return yield* assignmentOf({
          user_id: userId,
          role_id: roleId,
          organization_id: role.organization_id,
          role_name: role.name,
          created_at: now
        })
      }).pipe(sql.withTransaction, orDatabaseError)

    /** A user's roles, with the permissions their policies grant, each once, in order. */
    const assignments = (userId: UserId): Effect.Effect<RoleAssignmentList, UserNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* userExists(userId)
        const rows = yield* sql<AssignmentRow>`SELECT a.user_id, a.role_id, r.organization_id, r.name AS role_name,
          a.created_at FROM role_assignments a JOIN roles r ON r.id = a.role_id
          WHERE a.user_id = ${userId} ORDER BY a.created_at, a.role_id`
        const lines = yield* sql<{ permissions: string }>`SELECT p.permissions FROM role_assignments a
          JOIN role_policies rp ON rp.role_id = a.role_id JOIN policies p ON p.id = rp.policy_id
          WHERE a.user_id = ${userId}`
        const permissions = Array.from(new Set(lines.flatMap((line) => permissionsOf(line.permissions)))).sort()
        return new RoleAssignmentList({ assignments: yield* Effect.forEach(rows, assignmentOf), permissions })
      }).pipe(orDatabaseError)

    /** Takes a role back from a user; an assignment that does not exist is `resource_not_found`. */
    const unassign = (
      userId: UserId,
      roleId: RoleId
    ): Effect.Effect<void, UserNotFound | RoleNotFound | ResourceNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* userExists(userId)
        yield* findRow(roleId)
        const removed = yield* sql`DELETE FROM role_assignments WHERE user_id = ${userId} AND role_id = ${roleId}
          RETURNING role_id`
        if (removed.length === 0) {
          return yield* Effect.fail(new ResourceNotFound({ message: "The user does not have this role" }))
        }
      }).pipe(orDatabaseError)

    return { create, get, list, attachPolicy, detachPolicy, assign, assignments, unassign } as const
  })
}) {}
