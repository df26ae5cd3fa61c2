/**
 * Where the service keeps its users. Every database failure becomes `DatabaseError`, logged in full here
 * and told to the caller without SQL; a unique email is `EmailAlreadyExists`.
 */
import { SqlClient, SqlError, SqlSchema } from "@effect/sql"
import { DatabaseError, EmailAlreadyExists } from "@errata/domain/Errors"
import { Cause, Effect, Layer, Option, ParseResult, Schema } from "effect"
import type { UserId } from "./User.js"
import { User } from "./User.js"

/** A user to insert. */
export interface NewUser {
  readonly id: UserId
  readonly email: string
  readonly name: string
  readonly passwordHash: string
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
  created_at: Schema.String,
  updated_at: Schema.String
})

const userFromRow = Schema.transform(UserRow, Schema.encodedSchema(User), {
  strict: true,
  decode: (row) => row,
  encode: (user) => user
}).pipe(Schema.compose(User))

const databaseError = new DatabaseError({ message: "A database error occurred. Please try again later." })

const isDatabaseFailure = (u: unknown): u is SqlError.SqlError | ParseResult.ParseError =>
  u instanceof SqlError.SqlError || ParseResult.isParseError(u)

/** Any failure of the database, logged with its cause, answered as `DatabaseError`. */
const orDatabaseError = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, SqlError.SqlError | ParseResult.ParseError> | DatabaseError, R> =>
  Effect.catchIf(
    effect,
    isDatabaseFailure,
    (error) => Effect.zipRight(Effect.logError("database failure", Cause.fail(error)), Effect.fail(databaseError))
  ) as any

const isUniqueViolation = (error: SqlError.SqlError) =>
  (error.cause as { code?: string } | undefined)?.code === "SQLITE_CONSTRAINT_UNIQUE"

/** Users in the SQL database. */
export class UsersRepository extends Effect.Service<UsersRepository>()("identity-admin/UsersRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: userFromRow,
      execute: (id) => sql`SELECT id, email, name, created_at, updated_at FROM users WHERE id = ${id}`
    })
    const listRows = SqlSchema.findAll({
      Request: Schema.Struct({ limit: Schema.Number, offset: Schema.Number }),
      Result: userFromRow,
      execute: ({ limit, offset }) =>
        sql`SELECT id, email, name, created_at, updated_at FROM users ORDER BY created_at, id LIMIT ${limit} OFFSET ${offset}`
    })
    const emailTaken = (email: string) => (error: SqlError.SqlError): Effect.Effect<never, EmailAlreadyExists | SqlError.SqlError> =>
      isUniqueViolation(error)
        ? Effect.fail(new EmailAlreadyExists({ message: "This email address is already in use", email }))
        : Effect.fail(error)

    const insert = (user: NewUser): Effect.Effect<User, EmailAlreadyExists | DatabaseError> =>
      Effect.gen(function*() {
        const now = new Date().toISOString()
        yield* sql`INSERT INTO users ${
          sql.insert({
            id: user.id,
            email: user.email,
            name: user.name,
            password_hash: user.passwordHash,
            created_at: now,
            updated_at: now
          })
        }`.pipe(Effect.catchTag("SqlError", emailTaken(user.email)))
        return yield* Effect.flatMap(findRow(user.id), Effect.orDie)
      }).pipe(orDatabaseError)

    const findById = (id: UserId): Effect.Effect<Option.Option<User>, DatabaseError> => findRow(id).pipe(orDatabaseError)

    const list = (page: { readonly limit: number; readonly offset: number }): Effect.Effect<
      ReadonlyArray<User>,
      DatabaseError
    > => listRows(page).pipe(orDatabaseError)

    const update = (id: UserId, changes: UserChanges): Effect.Effect<Option.Option<User>, EmailAlreadyExists | DatabaseError> =>
      Effect.gen(function*() {
        const set: Record<string, string> = { updated_at: new Date().toISOString() }
        if (changes.email !== undefined) set.email = changes.email
        if (changes.name !== undefined) set.name = changes.name
        if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash
        const updated = yield* sql<{ id: string }>`UPDATE users SET ${sql.update(set)} WHERE id = ${id} RETURNING id`.pipe(
          Effect.catchTag("SqlError", emailTaken(changes.email ?? ""))
        )
        return updated.length === 0 ? Option.none() : yield* findRow(id)
      }).pipe(orDatabaseError)

    const remove = (id: UserId): Effect.Effect<boolean, DatabaseError> =>
      sql<{ id: string }>`DELETE FROM users WHERE id = ${id} RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        orDatabaseError
      )

    return { insert, findById, list, update, remove } as const
  })
}) {
  /**
   * A repository for a database that could not be opened: every call fails with `DatabaseError`.
   */
  static Unavailable = Layer.succeed(
    UsersRepository,
    UsersRepository.make({
      insert: () => Effect.fail(databaseError),
      findById: () => Effect.fail(databaseError),
      list: () => Effect.fail(databaseError),
      update: () => Effect.fail(databaseError),
      remove: () => Effect.fail(databaseError)
    })
  )
}
