/**
 * Where the service keeps its users. Every database failure becomes `DatabaseError` (`Sql.orDatabaseError`); a
 * unique email is `EmailAlreadyExists`. A lock after failed logins whose time is over reads as `active`.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { DatabaseError } from "@errata/domain/Errors"
import { EmailAlreadyExists } from "@errata/domain/Errors"
import type { SqlError } from "@effect/sql"
import { Clock, Effect, Option, Schema } from "effect"
import type { Role, UserId, UserStatus } from "./User.js"
import { User, UserSort } from "./User.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"

/** A user to insert. */
export interface NewUser {
  readonly id: UserId
  readonly email: string
  readonly name: string
  readonly passwordHash: string
  readonly role: Role
}

/** The columns an update changes. */
export interface UserChanges {
  readonly email?: string
  readonly name?: string
  readonly passwordHash?: string
}

const UserRow = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  name: Schema.String,
  role: Schema.String,
  status: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String
})

const userFromRow = Schema.transform(UserRow, Schema.encodedSchema(User), {
  strict: false,
  decode: (row) => row,
  encode: (user) => user
}).pipe(Schema.compose(User))

/** Now, as the `created_at` and `updated_at` columns hold it. */
const timestamp = Effect.map(Clock.currentTimeMillis, (now) => new Date(now).toISOString())

/** Users in the SQL database. */
export class UsersRepository extends Effect.Service<UsersRepository>()("identity-admin/UsersRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** The columns of a user, with the status as it is now. */
    const columns = (now: number) =>
      sql`id, email, name, role, created_at, updated_at,
        CASE WHEN status = 'locked' AND locked_until IS NOT NULL AND locked_until <= ${now} THEN 'active' ELSE status END
          AS status`

    const findRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: userFromRow,
      execute: (id) => Effect.flatMap(Clock.currentTimeMillis, (now) => sql`SELECT ${columns(now)} FROM users WHERE id = ${id}`)
    })
    const findRowByEmail = SqlSchema.findOne({
      Request: Schema.String,
      Result: userFromRow,
      execute: (email) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => sql`SELECT ${columns(now)} FROM users WHERE email = ${email}`)
    })
    // Text in code-point order on both databases: SQLite's own, and PostgreSQL's "C" collation (not the locale's).
    const orderBy = (key: UserSort["key"]) =>
      key === "created_at" ? sql(key) : sql.onDialectOrElse({ pg: () => sql`${sql(key)} COLLATE "C"`, orElse: () => sql(key) })
    const listRows = SqlSchema.findAll({
      Request: Schema.Struct({ limit: Schema.Number, offset: Schema.Number, sort: UserSort }),
      Result: userFromRow,
      execute: ({ limit, offset, sort }) =>
        Effect.flatMap(
          Clock.currentTimeMillis,
          (now) =>
            sql`SELECT ${columns(now)} FROM users ORDER BY ${orderBy(sort.key)} ${sql.literal(sort.descending ? "DESC" : "ASC")}, id LIMIT ${limit} OFFSET ${offset}`
        )
    })
    const emailTaken = (email: string) => (error: SqlError.SqlError): Effect.Effect<never, EmailAlreadyExists | SqlError.SqlError> =>
      isUniqueViolation(error)
        ? Effect.fail(new EmailAlreadyExists({ message: "This email address is already in use", email }))
        : Effect.fail(error)

    const insert = (user: NewUser): Effect.Effect<User, EmailAlreadyExists | DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* timestamp
        yield* sql`INSERT INTO users ${
          sql.insert({
            id: user.id,
            email: user.email,
            name: user.name,
            password_hash: user.passwordHash,
            role: user.role,
            status: "active",
            created_at: now,
            updated_at: now
          })
        }`.pipe(Effect.catchTag("SqlError", emailTaken(user.email)))
        return yield* Effect.flatMap(findRow(user.id), Effect.orDie)
      }).pipe(orDatabaseError)

    const findById = (id: UserId): Effect.Effect<Option.Option<User>, DatabaseError> => findRow(id).pipe(orDatabaseError)

    const findByEmail = (email: string): Effect.Effect<Option.Option<User>, DatabaseError> =>
      findRowByEmail(email).pipe(orDatabaseError)

    const list = (page: { readonly limit: number; readonly offset: number; readonly sort: UserSort }): Effect.Effect<
      ReadonlyArray<User>,
      DatabaseError
    > => listRows(page).pipe(orDatabaseError)

    const update = (id: UserId, changes: UserChanges): Effect.Effect<Option.Option<User>, EmailAlreadyExists | DatabaseError> =>
      Effect.gen(function*() {
        const set: Record<string, string> = { updated_at: yield* timestamp }
        if (changes.email !== undefined) set.email = changes.email
        if (changes.name !== undefined) set.name = changes.name
        if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash
        const updated = yield* sql<{ id: string }>`UPDATE users SET ${sql.update(set)} WHERE id = ${id} RETURNING id`.pipe(
          Effect.catchTag("SqlError", emailTaken(changes.email ?? ""))
        )
        return updated.length === 0 ? Option.none() : yield* findRow(id)
      }).pipe(orDatabaseError)

    /**
     * Sets a user's status; a lock set here lasts until it is lifted, and any other status lifts it — a lock after
     * failed logins too, whose count of failures starts again.
     */
    const setStatus = (id: UserId, status: UserStatus): Effect.Effect<Option.Option<User>, DatabaseError> =>
      Effect.gen(function*() {
        const updated = yield* sql<{ id: string }>`UPDATE users SET status = ${status}, locked_until = NULL,
          failed_logins = 0, failed_since = NULL, updated_at = ${yield* timestamp} WHERE id = ${id} RETURNING id`
        return updated.length === 0 ? Option.none() : yield* findRow(id)
      }).pipe(orDatabaseError)

    /** Deletes a user, with the sessions and tokens that act for them, their memberships and their roles. */
    const remove = (id: UserId): Effect.Effect<boolean, DatabaseError> =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`DELETE FROM sessions WHERE user_id = ${id}`
        yield* sql`DELETE FROM tokens WHERE user_id = ${id}`
        yield* sql`DELETE FROM role_assignments WHERE user_id = ${id}`
        yield* sql`DELETE FROM organization_members WHERE user_id = ${id}`
        const rows = yield* sql<{ id: string }>`DELETE FROM users WHERE id = ${id} RETURNING id`
        return rows.length > 0
      })).pipe(orDatabaseError)

    return { insert, findById, findByEmail, list, update, setStatus, remove } as const
  })
}) {}
