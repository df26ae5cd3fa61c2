/**
 * Idempotency keys in the service's SQL database, through `@effect/sql`: one table, created at first use if it does
 * not exist (a database that is down at start-up is not fatal: the store works once it is back), with SQL that
 * SQLite and PostgreSQL both run (`INSERT … ON CONFLICT DO NOTHING RETURNING`), so that every instance
 * on the same database sees the same keys. Not exported from the package root: `@effect/sql` is an optional peer
 * dependency, needed only here.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import * as Idempotency from "./Idempotency.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends Idempotency.Options {
  /** The table's name. Default `errata_idempotency_keys`. */
  readonly table?: string
}

interface Row {
  readonly fingerprint: string
  readonly response: string | null
}

/**
 * A store on the `SqlClient` of the context.
 *
 * @since 0.1.0
 * @category stores
 */
export const store = (options: Options = {}): Effect.Effect<Idempotency.Store, never, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const table = sql(options.table ?? "errata_idempotency_keys")
    const lock = yield* Effect.makeSemaphore(1)
    let created = false
    const createTable = lock.withPermits(1)(Effect.suspend(() =>
      created ? Effect.void : sql`
        CREATE TABLE IF NOT EXISTS ${table} (
          scope TEXT PRIMARY KEY,
          owner TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          response TEXT,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        )
      `.pipe(
        // Instances creating it at once on PostgreSQL: all but one fail (a unique violation in the catalog), and
        // find it on their second try.
        Effect.retry({ times: 1 }),
        Effect.tap(() => void (created = true))
      )
    ))
    const run = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.zipRight(created ? Effect.void : createTable, effect).pipe(
        Effect.mapError((cause) => new Idempotency.StoreError({ cause }))
      )
    const claim = ({ expiresAt, fingerprint, now, owner, scope, staleBefore }: Idempotency.ClaimRequest) =>
      Effect.gen(function*() {
        yield* sql`DELETE FROM ${table} WHERE scope = ${scope}
          AND (expires_at <= ${now} OR (response IS NULL AND created_at < ${staleBefore}))`
        const inserted = yield* sql<{ scope: string }>`INSERT INTO ${table}
          (scope, owner, fingerprint, response, created_at, expires_at)
          VALUES (${scope}, ${owner}, ${fingerprint}, NULL, ${now}, ${expiresAt})
          ON CONFLICT (scope) DO NOTHING RETURNING scope`
        if (inserted.length > 0) return { _tag: "Claimed" } as const
        const rows = yield* sql<Row>`SELECT fingerprint, response FROM ${table} WHERE scope = ${scope}`
        const row = rows[0]
        // Gone between the insert and the read (expired and deleted by another claim): the first request is over.
        if (row === undefined) return { _tag: "Running" } as const
        return Idempotency.decide({
          fingerprint: row.fingerprint,
          response: row.response === null ? undefined : JSON.parse(row.response)
        }, fingerprint)
      }).pipe(run)
    return {
      claim,
      complete: (scope, owner, response, { expiresAt }) =>
        run(sql`UPDATE ${table} SET response = ${JSON.stringify(response)}, expires_at = ${expiresAt}
          WHERE scope = ${scope} AND owner = ${owner}`),
      release: (scope, owner) =>
        run(sql`DELETE FROM ${table} WHERE scope = ${scope} AND owner = ${owner} AND response IS NULL`)
    }
  })

/**
 * Idempotency with keys in the SQL database of the context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Idempotency.Idempotency, never, SqlClient.SqlClient> =>
  Layer.unwrapEffect(Effect.map(store(options), (created) => Idempotency.layer(created, options)))
