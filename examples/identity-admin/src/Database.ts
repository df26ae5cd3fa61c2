/**
 * The service's database: SQLite through `@effect/sql-sqlite-node`, in `./data/errata.db` unless
 * `DATABASE_URL` names another file (`file:PATH`), migrated at start-up.
 */
import { SqlClient } from "@effect/sql"
import { NodeContext } from "@effect/platform-node"
import { SqliteClient, SqliteMigrator } from "@effect/sql-sqlite-node"
import { Config, Effect, Layer } from "effect"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"

/** Where the SQLite file is, and how it is opened. */
export interface Options {
  readonly filename: string
  readonly readonly?: boolean
  /** How long a statement waits for a lock held by another connection. Default 5 seconds. */
  readonly busyTimeoutMs?: number
}

/**
 * The SQLite file a `DATABASE_URL` names: unset, the embedded default `./data/errata.db`; `file:PATH`, that file.
 */
export const filenameFromUrl = (url: string | undefined): string => {
  if (url === undefined || url === "") return "./data/errata.db"
  if (url.startsWith("file:")) return decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, ""))
  throw new Error(`DATABASE_URL must be file:PATH (SQLite); got a URL with another scheme`)
}

/** The schema, one migration at a time. */
export const migrations = SqliteMigrator.fromRecord({
  "0001_create_users": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )
    `
  })
})

/**
 * A migrated SQLite client.
 */
export const layer = (options: Options): Layer.Layer<SqlClient.SqlClient, unknown> => {
  const client = Layer.unwrapEffect(Effect.sync(() => {
    if (!options.readonly) mkdirSync(dirname(options.filename), { recursive: true })
    return SqliteClient.layer({ filename: options.filename, readonly: options.readonly ?? false })
  }))
  const busyTimeout = Layer.effectDiscard(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`)
  }))
  const migrated = options.readonly
    ? Layer.empty
    : SqliteMigrator.layer({ loader: migrations })
  return Layer.mergeAll(migrated, busyTimeout).pipe(Layer.provideMerge(client), Layer.provide(NodeContext.layer), Layer.orDie)
}

/**
 * The database `DATABASE_URL` names.
 */
export const layerConfig: Layer.Layer<SqlClient.SqlClient, unknown> = Layer.unwrapEffect(
  Effect.map(
    Config.option(Config.string("DATABASE_URL")),
    (url) => layer({ filename: filenameFromUrl(url._tag === "Some" ? url.value : undefined) })
  )
)
