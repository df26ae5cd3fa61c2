/**
 * The service's tokens (RFC 6749, RFC 6750, RFC 7009): opaque random access tokens that live an hour by default, and
 * rotating refresh tokens for tokens issued to users. Only their SHA-256 is stored; each request looks its token up
 * in the database, so that a revocation holds at once on every instance that shares it.
 *
 * The tokens issued from one grant (a password login) form a family: each refresh uses up its refresh token and
 * issues the next, and a used refresh token presented again — stolen, or replayed — revokes the whole family.
 */
import { SqlClient } from "@effect/sql"
import { Authentication as Contract, OAuth } from "@errata/domain"
import type { AccountDisabled, DatabaseError, UserLocked, UserSuspended } from "@errata/domain/Errors"
import { InvalidToken, TokenExpired, TokenRevoked } from "@errata/domain/Errors"
import { Authentication } from "@errata/server"
import { Clock, Data, Duration, Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { Accounts, stateOf } from "./Accounts.js"
import type { OAuthClient } from "./Client.js"
import { narrowScopes, SecuritySettings } from "./Settings.js"
import { orDatabaseError } from "./Sql.js"

/** Who a token acts for: a user, through a client, or a client for itself. */
export interface Grant {
  readonly client: OAuthClient
  readonly userId: string | undefined
  readonly scopes: ReadonlyArray<string>
}

interface AccessRow {
  readonly client_id: string
  readonly user_id: string | null
  readonly scopes: string
  readonly expires_at: number
  readonly revoked_at: number | null
  readonly client_disabled: number
  readonly client_roles: string
  readonly user_status: string | null
  readonly user_role: string | null
  readonly user_locked_until: number | null
}

interface RefreshRow {
  readonly client_id: string
  readonly user_id: string | null
  readonly scopes: string
  readonly family: string
  readonly expires_at: number
  readonly revoked_at: number | null
  readonly used_at: number | null
}

/** A refresh token presented again: its family is to be revoked. */
class Reused extends Data.TaggedError("Reused")<{ readonly family: string }> {}

const words = (text: string | null): ReadonlyArray<string> => text === null || text === "" ? [] : text.split(" ")

export class Tokens extends Effect.Service<Tokens>()("identity-admin/Tokens", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const settings = yield* SecuritySettings
    const accounts = yield* Accounts

    const insert = (kind: "access" | "refresh", token: Redacted.Redacted<string>, grant: Grant, family: string, expiresAt: number, now: number) =>
      sql`INSERT INTO tokens ${
        sql.insert({
          hash: Authentication.hashSecret(token),
          kind,
          client_id: grant.client.clientId,
          user_id: grant.userId ?? null,
          scopes: grant.scopes.join(" "),
          family,
          expires_at: expiresAt,
          revoked_at: null,
          used_at: null,
          created_at: now
        })
      }`

    /**
     * An access token for a grant, and a refresh token when it acts for a user (a client can ask again with its own
     * credentials: RFC 6749 §4.4.3). A refresh continues its family.
     */
    const issue = (grant: Grant, family: string = randomUUID()): Effect.Effect<OAuth.TokenResponse, DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const ttl = Duration.toMillis(settings.accessTokenTtl)
        const accessToken = Authentication.newSecret("at_")
        yield* insert("access", accessToken, grant, family, now + ttl, now)
        let refreshToken: Redacted.Redacted<string> | undefined
        if (grant.userId !== undefined) {
          refreshToken = Authentication.newSecret("rt_")
          yield* insert("refresh", refreshToken, grant, family, now + Duration.toMillis(settings.refreshTokenTtl), now)
        }
        return new OAuth.TokenResponse({
          accessToken,
          tokenType: "Bearer",
          expiresIn: Math.floor(ttl / 1000),
          ...(refreshToken !== undefined ? { refreshToken } : {}),
          scope: grant.scopes.join(" ")
        })
      }).pipe(orDatabaseError)

    /** An access token as `Authentication` checks it: what it grants, and the state of whom it acts for, now. */
    const bearer = (token: Redacted.Redacted<string>): Effect.Effect<Option.Option<Authentication.BearerToken>, DatabaseError> =>
      Effect.gen(function*() {
        const rows = yield* sql<AccessRow>`
          SELECT t.client_id, t.user_id, t.scopes, t.expires_at, t.revoked_at,
            c.disabled AS client_disabled, c.roles AS client_roles,
            u.status AS user_status, u.role AS user_role, u.locked_until AS user_locked_until
          FROM tokens t JOIN clients c ON c.id = t.client_id LEFT JOIN users u ON u.id = t.user_id
          WHERE t.hash = ${Authentication.hashSecret(token)} AND t.kind = 'access'`
        const row = rows[0]
        // A token of a user who no longer exists is no token.
        if (row === undefined || (row.user_id !== null && row.user_status === null)) return Option.none()
        const now = yield* Clock.currentTimeMillis
        const forUser = row.user_id !== null
        return Option.some({
          principal: new Contract.Principal({
            subject: row.user_id ?? row.client_id,
            kind: forUser ? "user" : "client",
            clientId: row.client_id,
            scopes: words(row.scopes),
            roles: forUser ? words(row.user_role) : words(row.client_roles)
          }),
          state: forUser ? stateOf({ status: row.user_status!, locked_until: row.user_locked_until }, now) : "active",
          clientDisabled: Number(row.client_disabled) !== 0,
          expiresAt: Number(row.expires_at),
          revoked: row.revoked_at !== null
        })
      }).pipe(orDatabaseError)

    const revokeFamily = (family: string, now: number) =>
      sql`UPDATE tokens SET revoked_at = ${now} WHERE family = ${family} AND revoked_at IS NULL`

    /**
     * New tokens for a refresh token, which is used up; one used before revokes its family. All of it is one
     * transaction: a refresh that fails to issue leaves its token unused, for the client's retry.
     */
    const refresh = (
      client: OAuthClient,
      refreshToken: Redacted.Redacted<string>,
      scope: string | undefined
    ): Effect.Effect<
      OAuth.TokenResponse,
      InvalidToken | TokenExpired | TokenRevoked | UserSuspended | UserLocked | AccountDisabled | DatabaseError
    > =>
      Effect.gen(function*() {
        const hash = Authentication.hashSecret(refreshToken)
        const rows = yield* sql<RefreshRow>`
          SELECT client_id, user_id, scopes, family, expires_at, revoked_at, used_at FROM tokens
          WHERE hash = ${hash} AND kind = 'refresh'`
        const row = rows[0]
        // A refresh token is bound to the client it was issued to (RFC 6749 §6).
        if (row === undefined || row.client_id !== client.clientId) {
          return yield* Effect.fail(new InvalidToken({ message: "The refresh token is not valid" }))
        }
        if (row.revoked_at !== null) return yield* Effect.fail(new TokenRevoked({ message: "The token has been revoked" }))
        const now = yield* Clock.currentTimeMillis
        if (row.used_at !== null) return yield* Effect.fail(new Reused({ family: row.family }))
        if (Number(row.expires_at) <= now) return yield* Effect.fail(new TokenExpired({ message: "The token has expired" }))
        // Used up in one statement: of two concurrent refreshes with the same token, one wins and the other is a reuse.
        const used = yield* sql`UPDATE tokens SET used_at = ${now} WHERE hash = ${hash} AND used_at IS NULL RETURNING hash`
        if (used.length === 0) return yield* Effect.fail(new Reused({ family: row.family }))
        // A family revoked meanwhile (its reuse seen by another instance) issues nothing more.
        const revoked = yield* sql`SELECT 1 FROM tokens WHERE family = ${row.family} AND revoked_at IS NOT NULL LIMIT 1`
        if (revoked.length > 0) return yield* Effect.fail(new TokenRevoked({ message: "The token has been revoked" }))
        if (row.user_id !== null) {
          const users = yield* sql<{ status: string; locked_until: number | null }>`
            SELECT status, locked_until FROM users WHERE id = ${row.user_id}`
          const user = users[0]
          if (user === undefined) return yield* Effect.fail(new InvalidToken({ message: "The refresh token is not valid" }))
          yield* accounts.refuse(stateOf(user, now))
        }
        return yield* issue(
          { client, userId: row.user_id ?? undefined, scopes: narrowScopes(words(row.scopes), scope) },
          row.family
        )
      }).pipe(
        sql.withTransaction,
        // A reuse revokes the family once the transaction is over: its own writes are rolled back.
        Effect.catchTag("Reused", ({ family }) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => revokeFamily(family, now)).pipe(
            Effect.zipRight(Effect.fail(
              new TokenRevoked({ message: "The refresh token was already used; every token of its grant is revoked" })
            ))
          )),
        orDatabaseError
      )

    /**
     * Revokes a token of the client (RFC 7009 §2.1): a refresh token with every token of its family, an access token
     * alone. A token that is unknown, or another client's, is left as it is, and the answer is the same.
     */
    const revoke = (client: OAuthClient, token: Redacted.Redacted<string>): Effect.Effect<void, DatabaseError> =>
      Effect.gen(function*() {
        const hash = Authentication.hashSecret(token)
        const rows = yield* sql<{ kind: string; client_id: string; family: string }>`
          SELECT kind, client_id, family FROM tokens WHERE hash = ${hash}`
        const row = rows[0]
        if (row === undefined || row.client_id !== client.clientId) return
        const now = yield* Clock.currentTimeMillis
        if (row.kind === "refresh") yield* revokeFamily(row.family, now)
        else yield* sql`UPDATE tokens SET revoked_at = ${now} WHERE hash = ${hash} AND revoked_at IS NULL`
      }).pipe(orDatabaseError)

    return { issue, bearer, refresh, revoke } as const
  })
}) {}
