/**
 * The service's OAuth clients: the applications that get tokens at `/oauth/token`. A client has an id of its choice,
 * a secret kept as a scrypt hash, the scopes its tokens may have, the roles it holds when it acts for itself, and
 * can be disabled — its tokens then stop working at once (`client_disabled`), whoever they act for.
 */
import type { SqlError } from "@effect/sql"
import { SqlClient } from "@effect/sql"
import type { DatabaseError } from "@errata/domain/Errors"
import { ClientDisabled, ClientIdAlreadyExists, ClientNotFound, UnauthorizedClient } from "@errata/domain/Errors"
import type { Redacted } from "effect"
import { Clock, Effect, Schema } from "effect"
import type { Scope } from "./Client.js"
import { OAuthClient } from "./Client.js"
import * as Passwords from "./Passwords.js"
import { isUniqueViolation, orDatabaseError } from "./Sql.js"
import type { Role } from "./User.js"
import { isPrintable } from "./User.js"

/** A client to create. */
export interface NewClient {
  readonly id: string
  readonly secret: Redacted.Redacted<string>
  readonly name: string
  readonly scopes: ReadonlyArray<Scope>
  readonly roles: ReadonlyArray<Role>
}

interface ClientRow {
  readonly id: string
  readonly secret_hash: string
  readonly name: string
  readonly scopes: string
  readonly roles: string
  readonly disabled: number
}

const words = (text: string): ReadonlyArray<string> => text === "" ? [] : text.split(" ")

const decodeClient = Schema.decodeUnknown(OAuthClient)

/** A row as the API shows it; a row that does not decode is the database's failure. */
const fromRow = (row: ClientRow) =>
  decodeClient({
    client_id: row.id,
    name: row.name,
    scopes: words(row.scopes),
    roles: words(row.roles),
    disabled: Number(row.disabled) !== 0
  })

export class Clients extends Effect.Service<Clients>()("identity-admin/Clients", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const unauthorized = new UnauthorizedClient({ message: "Client authentication failed" })

    /**
     * The client whose id and secret these are (RFC 6749 §2.3.1). An unknown id and a wrong secret get the same
     * answer, in the same time; a disabled client is told so only with its right secret. An id with a control
     * character, which no client has, is not looked up (PostgreSQL cannot compare a NUL).
     */
    const authenticate = (
      id: string,
      secret: Redacted.Redacted<string>
    ): Effect.Effect<OAuthClient, UnauthorizedClient | ClientDisabled | DatabaseError> =>
      Effect.gen(function*() {
        const rows = isPrintable(id)
          ? yield* sql<ClientRow>`SELECT id, secret_hash, name, scopes, roles, disabled FROM clients WHERE id = ${id}`
          : []
        const row = rows[0]
        const matches = yield* Passwords.verify(secret, row?.secret_hash ?? Passwords.unmatchable)
        if (row === undefined || !matches) return yield* Effect.fail(unauthorized)
        const client = yield* fromRow(row)
        if (client.disabled) return yield* Effect.fail(new ClientDisabled({ message: "The client is disabled" }))
        return client
      }).pipe(orDatabaseError)

    const create = (client: NewClient): Effect.Effect<OAuthClient, ClientIdAlreadyExists | DatabaseError> =>
      Effect.gen(function*() {
        const secretHash = yield* Passwords.hash(client.secret)
        const now = yield* Clock.currentTimeMillis
        yield* sql`INSERT INTO clients ${
          sql.insert({
            id: client.id,
            secret_hash: secretHash,
            name: client.name,
            scopes: client.scopes.join(" "),
            roles: client.roles.join(" "),
            disabled: 0,
            created_at: now
          })
        }`.pipe(
          Effect.catchTag("SqlError", (error): Effect.Effect<never, ClientIdAlreadyExists | SqlError.SqlError> =>
            isUniqueViolation(error)
              ? Effect.fail(new ClientIdAlreadyExists({ message: "This client ID is already in use" }))
              : Effect.fail(error))
        )
        return new OAuthClient({
          clientId: client.id,
          name: client.name,
          scopes: client.scopes,
          roles: client.roles,
          disabled: false
        })
      }).pipe(orDatabaseError)

    const setDisabled = (id: string, disabled: boolean): Effect.Effect<OAuthClient, ClientNotFound | DatabaseError> =>
      Effect.gen(function*() {
        const rows = yield* sql<ClientRow>`UPDATE clients SET disabled = ${disabled ? 1 : 0} WHERE id = ${id}
          RETURNING id, secret_hash, name, scopes, roles, disabled`
        const row = rows[0]
        if (row === undefined) return yield* Effect.fail(new ClientNotFound({ message: "The specified client was not found" }))
        return yield* fromRow(row)
      }).pipe(orDatabaseError)

    const count: Effect.Effect<number, DatabaseError> = sql<{ count: number }>`SELECT COUNT(*) AS count FROM clients`.pipe(
      Effect.map((rows) => Number(rows[0]?.count ?? 0)),
      orDatabaseError
    )

    return { authenticate, create, setDisabled, count } as const
  })
}) {}
