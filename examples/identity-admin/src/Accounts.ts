/**
 * The accounts of users as credentials see them: their state (active, suspended, locked, disabled) and role, and
 * logins by email and password, with the lockout rule — a number of failed attempts within a window locks the
 * account for a while; a successful login clears the failures. A lock whose time is over no longer counts.
 */
import { SqlClient } from "@effect/sql"
import type { DatabaseError } from "@errata/domain/Errors"
import { AccountDisabled, InvalidCredentials, UserLocked, UserSuspended } from "@errata/domain/Errors"
import type { Authentication } from "@errata/server"
import { Clock, Duration, Effect } from "effect"
import type { Redacted } from "effect"
import * as Passwords from "./Passwords.js"
import { SecuritySettings } from "./Settings.js"
import { orDatabaseError } from "./Sql.js"

/** A user as credentials see it. */
export interface Account {
  readonly id: string
  readonly role: string
  readonly state: Authentication.AccountState
}

/** The state of an account now: a lock whose time is over is no longer a lock. */
export const stateOf = (
  row: { readonly status: string; readonly locked_until: number | null },
  now: number
): Authentication.AccountState => {
  if (row.status === "locked" && row.locked_until !== null && row.locked_until <= now) return "active"
  return row.status === "suspended" || row.status === "locked" || row.status === "disabled" ? row.status : "active"
}

interface LoginRow {
  readonly id: string
  readonly password_hash: string
  readonly status: string
  readonly role: string
  readonly locked_until: number | null
}

/** A user's email as it is stored and compared: trimmed, lower case. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

export class Accounts extends Effect.Service<Accounts>()("identity-admin/Accounts", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const settings = yield* SecuritySettings

    const refuse = (state: Authentication.AccountState) => {
      switch (state) {
        case "suspended":
          return Effect.fail(new UserSuspended({ message: "The account is suspended" }))
        case "locked":
          return Effect.fail(new UserLocked({ message: "The account is locked after too many failed logins; try again later" }))
        case "disabled":
          return Effect.fail(new AccountDisabled({ message: "The account is disabled" }))
        case "active":
          return Effect.void
      }
    }

    /**
     * The account of an email and password. A locked account is refused before its password is checked (the lock is
     * what stops guessing); a suspended or disabled one only after, so that its state is told only to its owner.
     */
    const login = (
      email: string,
      password: Redacted.Redacted<string>
    ): Effect.Effect<Account, InvalidCredentials | UserSuspended | UserLocked | AccountDisabled | DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* sql<LoginRow>`SELECT id, password_hash, status, role, locked_until FROM users
          WHERE email = ${normalizeEmail(email)}`
        const row = rows[0]
        const state = row === undefined ? "active" : stateOf(row, now)
        if (state === "locked") yield* refuse(state)
        // Without a user the password is still hashed: the answer takes as long as for a wrong password.
        const matches = yield* Passwords.verify(password, row?.password_hash ?? Passwords.unmatchable)
        if (row === undefined) return yield* Effect.fail(new InvalidCredentials({ message: "Invalid email or password" }))
        if (!matches) {
          yield* sql`INSERT INTO login_failures (user_id, at) VALUES (${row.id}, ${now})`
          const since = now - Duration.toMillis(settings.lockoutWindow)
          const [{ failures }] = yield* sql<{ failures: number }>`SELECT COUNT(*) AS failures FROM login_failures
            WHERE user_id = ${row.id} AND at > ${since}`
          if (Number(failures) >= settings.lockoutAttempts) {
            // The lock starts the count again: once it is over, the next failures are counted from zero.
            yield* sql`UPDATE users SET status = 'locked', locked_until = ${now + Duration.toMillis(settings.lockoutDuration)}
              WHERE id = ${row.id}`
            yield* sql`DELETE FROM login_failures WHERE user_id = ${row.id}`
          }
          return yield* Effect.fail(new InvalidCredentials({ message: "Invalid email or password" }))
        }
        yield* refuse(state)
        yield* sql`DELETE FROM login_failures WHERE user_id = ${row.id}`
        if (row.status === "locked") yield* sql`UPDATE users SET status = 'active', locked_until = NULL WHERE id = ${row.id}`
        return { id: row.id, role: row.role, state }
      }).pipe(orDatabaseError)

    return { login, refuse } as const
  })
}) {}
