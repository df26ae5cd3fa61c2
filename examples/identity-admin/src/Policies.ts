/**
 * The service's policies: named sets of permissions, each name unique as written. They are attached to roles
 * (`Roles`); a policy's permissions are stored as one line of space-separated words, which a permission cannot hold.
 */
import type { SqlError } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import type { DatabaseError } from "@errata/domain/Errors"
import { DuplicateName, PolicyNotFound } from "@errata/domain/Errors"
import { Clock, Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { CreatePolicy, PolicyId } from "./Policy.js"
import { Policy } from "./Policy.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"

interface PolicyRow {
  readonly id: string
  readonly name: string
  readonly permissions: string
  readonly created_at: number | string
}

/** The permissions of a stored line. */
export const permissionsOf = (line: string): ReadonlyArray<string> => line === "" ? [] : line.split(" ")

const decodePolicy = Schema.decodeUnknown(Policy)

const policyOf = (row: PolicyRow) =>
  decodePolicy({
    id: row.id,
    name: row.name,
    permissions: permissionsOf(row.permissions),
    created_at: new Date(Number(row.created_at)).toISOString()
  })

const newPolicyId = () => `pol_${randomUUID().replace(/-/g, "")}` as PolicyId

/** 404 `policy_not_found`. */
export const policyNotFound = (message = "The specified policy was not found") => new PolicyNotFound({ message })

export class Policies extends Effect.Service<Policies>()("identity-admin/Policies", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** A new policy; a permission listed twice is kept once. */
    const create = (input: CreatePolicy): Effect.Effect<Policy, DuplicateName | DatabaseError> =>
      Effect.gen(function*() {
        const row: PolicyRow = {
          id: newPolicyId(),
          name: input.name,
          permissions: Array.from(new Set(input.permissions)).join(" "),
          created_at: yield* Clock.currentTimeMillis
        }
        yield* sql`INSERT INTO policies ${sql.insert({ ...row })}`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, DuplicateName | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new DuplicateName({ message: "A policy with this name already exists" }))
              : Effect.fail(error))
        )
        return yield* policyOf(row)
      }).pipe(orDatabaseError)

    const get = (id: PolicyId): Effect.Effect<Policy, PolicyNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const [row] = yield* sql<PolicyRow>`SELECT id, name, permissions, created_at FROM policies WHERE id = ${id}`
        return row === undefined ? yield* Effect.fail(policyNotFound()) : yield* policyOf(row)
      }).pipe(orDatabaseError)

    const list: Effect.Effect<ReadonlyArray<Policy>, DatabaseError> = sql<PolicyRow>`
      SELECT id, name, permissions, created_at FROM policies ORDER BY created_at, id`.pipe(
      Effect.flatMap(Effect.forEach(policyOf)),
      orDatabaseError
    )

    return { create, get, list } as const
  })
}) {}
