/**
 * How the service's repositories meet the database: a failed statement becomes `DatabaseError`, logged in full here
 * and told to the caller without SQL.
 */
import type { SqlError as SqlErrors } from "@effect/sql"
import { SqlClient, SqlError } from "@effect/sql"
import { DatabaseError, ServiceUnavailable } from "@errata/domain/Errors"
import { Cause, Effect, ParseResult } from "effect"

export const databaseError = new DatabaseError({ message: "A database error occurred. Please try again later." })

const databaseDown = new ServiceUnavailable({ message: "The service cannot reach its database; try again shortly", retryAfter: 1 })

/**
 * A database error while the database does not answer at all — not open yet, gone, unreachable — answered as the
 * caller can act on it: 503 `service_unavailable` with `Retry-After`, for an endpoint that declares it, and that no
 * credentials lookup guards (an authenticated request is refused so by `Authentication` already). The database is
 * asked once (`SELECT 1`); one that answers keeps the `database_error`.
 */
export const unavailableWhenDown = (sql: SqlClient.SqlClient) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | ServiceUnavailable, R> =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, DatabaseError> => error instanceof DatabaseError,
    (error) => Effect.matchEffect(sql`SELECT 1`, { onFailure: () => Effect.fail(databaseDown), onSuccess: () => Effect.fail(error) })
  )

const isDatabaseFailure = (u: unknown): u is SqlErrors.SqlError | ParseResult.ParseError =>
  u instanceof SqlError.SqlError || ParseResult.isParseError(u)

/**
 * A failure of the database, logged with its cause, answered as `DatabaseError`. A stored row that does not decode
 * is not the database failing but the data breaking the service's own rules: a defect, answered `internal_error`.
 */
export const orDatabaseError = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, SqlErrors.SqlError | ParseResult.ParseError> | DatabaseError, R> =>
  Effect.catchIf(
    effect,
    isDatabaseFailure,
    (error) =>
      ParseResult.isParseError(error)
        ? Effect.die(error)
        : Effect.zipRight(Effect.logError("database failure", Cause.fail(error)), Effect.fail(databaseError))
  ) as any

const uniqueViolations = new Set([
  "SQLITE_CONSTRAINT_UNIQUE",
  "SQLITE_CONSTRAINT_PRIMARYKEY",
  // PostgreSQL's SQLSTATE unique_violation, for a unique index and a primary key alike.
  "23505"
])

/** Whether a statement broke a unique constraint or a primary key. */
export const isUniqueViolation = (error: SqlErrors.SqlError) =>
  uniqueViolations.has((error.cause as { code?: string } | undefined)?.code ?? "")
