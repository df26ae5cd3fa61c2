/**
 * The service's database: SQLite through `@effect/sql-sqlite-node`, in `./data/errata.db` unless
 * `DATABASE_URL` names another file (`file:PATH`), migrated at start-up.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { NodeContext } from "@effect/platform-node"
import { SqlClient, SqlError, Statement } from "@effect/sql"
import { SqliteClient, SqliteMigrator } from "@effect/sql-sqlite-node"
import { Config, Effect, Layer } from "effect"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import * as Migrations from "./Migrations.js"

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

/**
 * A client whose every statement fails, for a database that could not be opened: the service stays up, and each
 * request that needs the database is answered `database_error` (or, to check credentials, `service_unavailable`).
 */
const unavailable = (cause: unknown): Layer.Layer<SqlClient.SqlClient> =>
  Layer.effect(
    SqlClient.SqlClient,
    SqlClient.make({
      acquirer: Effect.fail(new SqlError.SqlError({ message: "The database could not be opened", cause })),
      compiler: Statement.makeCompilerSqlite(),
      spanAttributes: []
    })
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * A migrated SQLite client; a database that cannot be opened leaves the service up, answering `database_error`,
 * rather than down.
 */
export const layer = (options: Options): Layer.Layer<SqlClient.SqlClient> => {
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
    : SqliteMigrator.layer({ loader: Migrations.loader })
  return Layer.mergeAll(migrated, busyTimeout).pipe(
    Layer.provideMerge(client),
    Layer.provide(NodeContext.layer),
    Layer.catchAllCause((cause) =>
      Layer.unwrapEffect(Effect.as(Effect.logError("database unavailable; answering database_error", cause), unavailable(cause)))
    )
  )
}

/**
 * The database `DATABASE_URL` names.
 */
export const layerConfig: Layer.Layer<SqlClient.SqlClient> = Layer.unwrapEffect(
  Effect.map(
    Config.option(Config.string("DATABASE_URL")),
    (url) => layer({ filename: filenameFromUrl(url._tag === "Some" ? url.value : undefined) })
  )
).pipe(Layer.orDie)
