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
import { isPrintable, normalizeEmail } from "./User.js"

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
     * The account of an email and password. Each attempt on an account is counted before its password is checked, in
     * one statement, so that concurrent guesses cannot pass the limit: past it the account is locked and refused
     * without a check. A locked account is refused before its password is checked (the lock is what stops guessing);
     * a suspended or disabled one only after, so that its state is told only to its owner. A success clears the count.
     */
    const login = (
      email: string,
      password: Redacted.Redacted<string>
    ): Effect.Effect<Account, InvalidCredentials | UserSuspended | UserLocked | AccountDisabled | DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const invalid = new InvalidCredentials({ message: "Invalid email or password" })
        // An address with a control character, which no account has, is not looked up (PostgreSQL cannot compare a NUL).
        const rows = isPrintable(email)
          ? yield* sql<LoginRow>`SELECT id, password_hash, status, role, locked_until FROM users
          WHERE email = ${normalizeEmail(email)}`
          : []
        const row = rows[0]
        if (row === undefined) {
          // Without a user the password is still hashed: the answer takes as long as for a wrong password.
          yield* Passwords.verify(password, Passwords.unmatchable)
          return yield* Effect.fail(invalid)
        }
        const locked = new UserLocked({ message: "The account is locked after too many failed logins; try again later" })
        if (stateOf(row, now) === "locked") return yield* Effect.fail(locked)
        const windowStart = now - Duration.toMillis(settings.lockoutWindow)
        // Not counted once locked: a concurrent attempt may have locked the account (and cleared the count) since it
        // was read, and a count started again would let one more guess be checked.
        const counted = yield* sql<{ failed_logins: number }>`
          UPDATE users SET
            failed_logins = CASE WHEN failed_since IS NULL OR failed_since <= ${windowStart} THEN 1 ELSE failed_logins + 1 END,
            failed_since = CASE WHEN failed_since IS NULL OR failed_since <= ${windowStart} THEN ${now} ELSE failed_since END
          WHERE id = ${row.id} AND NOT (status = 'locked' AND (locked_until IS NULL OR locked_until > ${now}))
          RETURNING failed_logins`
        if (counted[0] === undefined) return yield* Effect.fail(locked)
        const attempt = Number(counted[0].failed_logins)
        const lock = sql`UPDATE users SET status = 'locked', locked_until = ${now + Duration.toMillis(settings.lockoutDuration)},
          failed_logins = 0, failed_since = NULL WHERE id = ${row.id}`
        if (attempt > settings.lockoutAttempts) {
          yield* lock
          return yield* Effect.fail(locked)
        }
        if (!(yield* Passwords.verify(password, row.password_hash))) {
          // The last attempt allowed failed: the lock starts, and with it the count starts again.
          if (attempt === settings.lockoutAttempts) yield* lock
          return yield* Effect.fail(invalid)
        }
        // Read again: a concurrent attempt may have locked the account while this password was being checked.
        const [current] = yield* sql<LoginRow>`SELECT id, password_hash, status, role, locked_until FROM users
          WHERE id = ${row.id}`
        const state = current === undefined ? "disabled" : stateOf(current, now)
        yield* refuse(state)
        yield* sql`UPDATE users SET failed_logins = 0, failed_since = NULL,
          status = CASE WHEN status = 'locked' THEN 'active' ELSE status END, locked_until = NULL WHERE id = ${row.id}`
        return { id: row.id, role: current?.role ?? row.role, state }
      }).pipe(orDatabaseError)

    return { login, refuse } as const
  })
}) {}
