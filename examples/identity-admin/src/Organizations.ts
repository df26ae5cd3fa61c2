/**
 * The service's organizations and their members. A name is unique as written — "Acme" and "acme" are two
 * organizations — by the table's unique index, which compares bytes in SQLite and PostgreSQL alike. Removing a
 * member also takes back the roles of the organization they held.
 */
import type { SqlError } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import { Authentication as Contract } from "@errata/domain"
import type { AccessDenied, DatabaseError } from "@errata/domain/Errors"
import { DuplicateName, OrganizationNotFound, ResourceNotFound, UserNotFound } from "@errata/domain/Errors"
import { Authentication } from "@errata/server"
import { Clock, Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { OrganizationId } from "./Organization.js"
import { Member, Organization } from "./Organization.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"
import type { UserId } from "./User.js"

interface OrganizationRow {
  readonly id: string
  readonly name: string
  readonly created_at: number | string
}

interface MemberRow {
  readonly organization_id: string
  readonly user_id: string
  readonly email: string
  readonly name: string
  readonly created_at: number | string
}

const iso = (millis: number | string) => new Date(Number(millis)).toISOString()

const decodeOrganization = Schema.decodeUnknown(Organization)
const decodeMember = Schema.decodeUnknown(Member)

const organizationOf = (row: OrganizationRow) =>
  decodeOrganization({ id: row.id, name: row.name, created_at: iso(row.created_at) })

const memberOf = (row: MemberRow) =>
  decodeMember({
    organization_id: row.organization_id,
    user_id: row.user_id,
    email: row.email,
    name: row.name,
    added_at: iso(row.created_at)
  })

const newOrganizationId = () => `org_${randomUUID().replace(/-/g, "")}` as OrganizationId

/** 404 `organization_not_found`. */
export const organizationNotFound = () =>
  new OrganizationNotFound({ message: "The specified organization was not found" })

/** 404 `user_not_found`. */
export const userNotFound = (id: UserId) =>
  new UserNotFound({ message: "The specified user was not found", userId: id })

export class Organizations extends Effect.Service<Organizations>()("identity-admin/Organizations", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findRow = (id: OrganizationId) =>
      Effect.map(
        sql<OrganizationRow>`SELECT id, name, created_at FROM organizations WHERE id = ${id}`,
        (rows) => rows[0]
      )

    const exists = (id: OrganizationId): Effect.Effect<void, OrganizationNotFound | SqlError.SqlError> =>
      Effect.flatMap(findRow(id), (row) => row === undefined ? Effect.fail(organizationNotFound()) : Effect.void)

    const create = (name: string): Effect.Effect<Organization, DuplicateName | DatabaseError> =>
      Effect.gen(function*() {
        const id = newOrganizationId()
        const now = yield* Clock.currentTimeMillis
        yield* sql`INSERT INTO organizations ${sql.insert({ id, name, created_at: now })}`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, DuplicateName | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new DuplicateName({ message: "An organization with this name already exists" }))
              : Effect.fail(error))
        )
        return yield* organizationOf({ id, name, created_at: now })
      }).pipe(orDatabaseError)

    const get = (id: OrganizationId): Effect.Effect<Organization, OrganizationNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const row = yield* findRow(id)
        return row === undefined ? yield* Effect.fail(organizationNotFound()) : yield* organizationOf(row)
      }).pipe(orDatabaseError)

    /** Every organization, or those `userId` is a member of, in the order they were created. */
    const list = (userId?: string): Effect.Effect<ReadonlyArray<Organization>, DatabaseError> =>
      (userId === undefined
        ? sql<OrganizationRow>`SELECT id, name, created_at FROM organizations ORDER BY created_at, id`
        : sql<OrganizationRow>`SELECT o.id, o.name, o.created_at FROM organizations o
            JOIN organization_members m ON m.organization_id = o.id WHERE m.user_id = ${userId}
            ORDER BY o.created_at, o.id`).pipe(
          Effect.flatMap(Effect.forEach(organizationOf)),
          orDatabaseError
        )

    const isMember = (id: OrganizationId, userId: string): Effect.Effect<boolean, DatabaseError> =>
      sql`SELECT 1 AS found FROM organization_members WHERE organization_id = ${id} AND user_id = ${userId}`.pipe(
        Effect.map((rows) => rows.length > 0),
        orDatabaseError
      )

    const findMember = (id: OrganizationId, userId: UserId) =>
      Effect.map(
        sql<MemberRow>`SELECT m.organization_id, m.user_id, u.email, u.name, m.created_at
          FROM organization_members m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = ${id} AND m.user_id = ${userId}`,
        (rows) => rows[0]
      )

    /** Makes a user a member; one already a member stays as they were. */
    const addMember = (
      id: OrganizationId,
      userId: UserId
    ): Effect.Effect<Member, OrganizationNotFound | UserNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* exists(id)
        const users = yield* sql`SELECT id FROM users WHERE id = ${userId}`
        if (users.length === 0) return yield* Effect.fail(userNotFound(userId))
        const now = yield* Clock.currentTimeMillis
        const member = { organization_id: id, user_id: userId, created_at: now }
        yield* sql`INSERT INTO organization_members ${sql.insert(member)}
          ON CONFLICT (organization_id, user_id) DO NOTHING`
        const row = yield* findMember(id, userId)
        return yield* row === undefined ? Effect.fail(userNotFound(userId)) : memberOf(row)
      }).pipe(sql.withTransaction, orDatabaseError)

    const members = (id: OrganizationId): Effect.Effect<ReadonlyArray<Member>, OrganizationNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* exists(id)
        const rows = yield* sql<MemberRow>`SELECT m.organization_id, m.user_id, u.email, u.name, m.created_at
          FROM organization_members m JOIN users u ON u.id = m.user_id
          WHERE m.organization_id = ${id} ORDER BY m.created_at, m.user_id`
        return yield* Effect.forEach(rows, memberOf)
      }).pipe(orDatabaseError)

    /**
     * Removes a member, and the organization's roles assigned to them; a user who is not a member is
     * `resource_not_found` (the membership), an unknown user `user_not_found`.
     */
    const removeMember = (
      id: OrganizationId,
      userId: UserId
    ): Effect.Effect<void, OrganizationNotFound | UserNotFound | ResourceNotFound | DatabaseError> =>
      Effect.gen(function*() {
        yield* exists(id)
        const users = yield* sql`SELECT id FROM users WHERE id = ${userId}`
        if (users.length === 0) return yield* Effect.fail(userNotFound(userId))
        yield* sql`DELETE FROM role_assignments WHERE user_id = ${userId}
          AND role_id IN (SELECT id FROM roles WHERE organization_id = ${id})`
        const removed = yield* sql`DELETE FROM organization_members
          WHERE organization_id = ${id} AND user_id = ${userId} RETURNING user_id`
        if (removed.length === 0) {
          return yield* Effect.fail(new ResourceNotFound({ message: "The user is not a member of this organization" }))
        }
      }).pipe(sql.withTransaction, orDatabaseError)

    /**
     * Lets the caller on if they may see the organization's resources: an administrator, or a user who is a member
     * of it; else 403 `access_denied`, whether or not the organization exists.
     */
    const requireMembership = (
      id: OrganizationId
    ): Effect.Effect<void, AccessDenied | DatabaseError, Contract.CurrentPrincipal> =>
      Effect.gen(function*() {
        const principal = yield* Contract.CurrentPrincipal
        const allowed = principal.roles.includes("admin") ||
          (principal.kind === "user" && (yield* isMember(id, principal.subject)))
        yield* Authentication.requireAccess(() => allowed)
      })

    return { create, get, list, isMember, requireMembership, addMember, members, removeMember } as const
  })
}) {}
