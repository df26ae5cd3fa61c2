/**
 * Browser sessions (seed 002): a login with email and password opens one, identified by a random id in an
 * `HttpOnly` cookie, with a CSRF token the page sends back on every unsafe request. Only the SHA-256 of the id and of
 * the CSRF token is stored. A session acts for its user with every scope: it is the service's own front end.
 */
import { SqlClient } from "@effect/sql"
import { Authentication as Contract } from "@errata/domain"
import type { DatabaseError } from "@errata/domain/Errors"
import { Authentication } from "@errata/server"
import type { Redacted } from "effect"
import { Clock, Effect, Option } from "effect"
import { stateOf } from "./Accounts.js"
import { allScopes } from "./Client.js"
import { orDatabaseError } from "./Sql.js"

/** A new session's secrets: its id (the cookie's value) and its CSRF token. */
export interface Opened {
  readonly id: Redacted.Redacted<string>
  readonly csrfToken: Redacted.Redacted<string>
}

interface SessionRow {
  readonly user_id: string
  readonly csrf_hash: string
  readonly created_at: number
  readonly last_seen_at: number
  readonly status: string
  readonly role: string
  readonly locked_until: number | null
}

export class Sessions extends Effect.Service<Sessions>()("identity-admin/Sessions", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const open = (userId: string): Effect.Effect<Opened, DatabaseError> =>
      Effect.gen(function*() {
        const id = Authentication.newSecret("ses_")
        const csrfToken = Authentication.newSecret("csrf_")
        const now = yield* Clock.currentTimeMillis
        yield* sql`INSERT INTO sessions ${
          sql.insert({
            id_hash: Authentication.hashSecret(id),
            user_id: userId,
            csrf_hash: Authentication.hashSecret(csrfToken),
            created_at: now,
            last_seen_at: now
          })
        }`
        return { id, csrfToken }
      }).pipe(orDatabaseError)

    /** A session as `Authentication` checks it, with its user's state now. */
    const find = (id: Redacted.Redacted<string>): Effect.Effect<Option.Option<Authentication.Session>, DatabaseError> =>
      Effect.gen(function*() {
        const rows = yield* sql<SessionRow>`
          SELECT s.user_id, s.csrf_hash, s.created_at, s.last_seen_at, u.status, u.role, u.locked_until
          FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id_hash = ${Authentication.hashSecret(id)}`
        const row = rows[0]
        if (row === undefined) return Option.none()
        const now = yield* Clock.currentTimeMillis
        return Option.some({
          principal: new Contract.Principal({ subject: row.user_id, kind: "user", scopes: allScopes, roles: [row.role] }),
          state: stateOf(row, now),
          clientDisabled: false,
          createdAt: Number(row.created_at),
          lastSeenAt: Number(row.last_seen_at),
          csrfHash: row.csrf_hash
        })
      }).pipe(orDatabaseError)

    const touch = (id: Redacted.Redacted<string>, now: number): Effect.Effect<void, DatabaseError> =>
      sql`UPDATE sessions SET last_seen_at = ${now} WHERE id_hash = ${Authentication.hashSecret(id)}`.pipe(
        Effect.asVoid,
        orDatabaseError
      )

    const close = (id: Redacted.Redacted<string>): Effect.Effect<void, DatabaseError> =>
      sql`DELETE FROM sessions WHERE id_hash = ${Authentication.hashSecret(id)}`.pipe(Effect.asVoid, orDatabaseError)

    return { open, find, touch, close } as const
  })
}) {}
