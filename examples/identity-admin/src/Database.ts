/**
 * The service's database: SQLite through `@effect/sql-sqlite-node`, in `./data/errata.db` unless `DATABASE_URL`
 * names another file (`file:PATH`); or PostgreSQL through `@effect/sql-pg`, when `DATABASE_URL` is a `postgres://`
 * (or `postgresql://`) URL. Both run the same migrations (`Migrations`) and the same statements.
 *
 * The service starts whatever the state of its database, and answers with an error while it cannot use it (503
 * `service_unavailable` where credentials must be checked, else `database_error`). A database that does not answer
 * at start is migrated once it does: on PostgreSQL the migrations, on SQLite the opening and the migrations, are
 * retried in the background, and `Migrated` (which `/ready` waits for) is done when they are applied. A SQLite file
 * is used without blocking the event loop on its locks, and opened again when it is removed or replaced (`Sqlite`).
 * On PostgreSQL the pool bounds the wait for a connection and the time of a statement, so that a database that stops
 * answering makes requests fail rather than hang, and the pool connects again by itself when the database is back.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { NodeContext } from "@effect/platform-node"
import { SqlClient, SqlError } from "@effect/sql"
import { PgClient, PgMigrator } from "@effect/sql-pg"
import { SqliteMigrator } from "@effect/sql-sqlite-node"
import type { Scope } from "effect"
import {
  Config,
  ConfigError,
  Context,
  Deferred,
  Duration,
  Effect,
  Either,
  Exit,
  Layer,
  Option,
  Redacted,
  Schedule
} from "effect"
import * as Pg from "pg"
import * as Migrations from "./Migrations.js"
import * as Sqlite from "./Sqlite.js"

/** A SQLite file, and how it is opened. */
export interface SqliteOptions {
  readonly filename: string
  readonly readonly?: boolean
  /**
   * How long a statement, or a transaction from its start, waits for a lock held by another connection: tried again
   * without blocking the event loop (`Sqlite`), then failed (`database_error`). Default 5 seconds.
   */
  readonly busyTimeoutMs?: number
}

/** A PostgreSQL database, and the bounds of the service's pool of connections to it. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`: a secret, never logged. */
  readonly url: Redacted.Redacted<string>
  /**
   * The schema of the service's tables, created if it does not exist: the connections' search path. A lower-case
   * SQL name. Default: the role's search path (usually `public`).
   */
  readonly schema?: string
  /** How long a statement waits for a connection, new or from the pool. Default 5 seconds. */
  readonly connectTimeout?: Duration.DurationInput
  /** How long a statement may run before the server cancels it. Default 10 seconds. */
  readonly statementTimeout?: Duration.DurationInput
  /** How long a statement waits for a lock held by another connection. Default: as long as it may run. */
  readonly lockTimeout?: Duration.DurationInput
  /** Connections at most. Default 10. */
  readonly maxConnections?: number
}

/** Where the service's data is. */
export type Options = SqliteOptions | PostgresOptions

export const isPostgres = (options: Options): options is PostgresOptions => "url" in options

/**
 * The SQLite file a `DATABASE_URL` names: unset, the embedded default `./data/errata.db`; `file:PATH`, that file.
 */
export const filenameFromUrl = (url: string | undefined): string => {
  if (url === undefined || url === "") return "./data/errata.db"
  if (url.startsWith("file:")) return decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, ""))
  throw new Error("DATABASE_URL must be file:PATH (SQLite) or postgres://… (PostgreSQL); got a URL with another scheme")
}

const postgresUrl = /^postgres(ql)?:\/\//

const schemaName = /^[a-z_][a-z0-9_]*$/

/**
 * The database a `DATABASE_URL` names: unset, the embedded SQLite file; `file:PATH`, that SQLite file;
 * `postgres://…` or `postgresql://…`, that PostgreSQL database.
 */
export const fromUrl = (url: Redacted.Redacted<string> | undefined): Options =>
  url !== undefined && postgresUrl.test(Redacted.value(url))
    ? { url }
    : { filename: filenameFromUrl(url === undefined ? undefined : Redacted.value(url)) }

/**
 * The database the environment names: `DATABASE_URL` (`fromUrl`), `DATABASE_LOCK_TIMEOUT` (how long a statement
 * waits for another connection's lock: on SQLite, default 5 seconds; on PostgreSQL, default as long as it may run)
 * and, for PostgreSQL, `DATABASE_SCHEMA`, `DATABASE_CONNECT_TIMEOUT` (default 5 seconds),
 * `DATABASE_STATEMENT_TIMEOUT` (default 10 seconds) and `DATABASE_POOL_SIZE` (default 10).
 */
export const config: Config.Config<Options> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  lockTimeout: Config.option(Config.duration("DATABASE_LOCK_TIMEOUT")),
  schema: Config.option(Config.string("DATABASE_SCHEMA")),
  connectTimeout: Config.duration("DATABASE_CONNECT_TIMEOUT").pipe(Config.withDefault(Duration.seconds(5))),
  statementTimeout: Config.duration("DATABASE_STATEMENT_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10))),
  maxConnections: Config.integer("DATABASE_POOL_SIZE").pipe(Config.withDefault(10))
}).pipe(Config.mapOrFail(({ lockTimeout, schema, url, ...pool }): Either.Either<Options, ConfigError.ConfigError> => {
  const value = Option.match(url, { onNone: () => "", onSome: Redacted.value })
  if (value !== "" && !value.startsWith("file:") && !postgresUrl.test(value)) {
    return Either.left(
      ConfigError.InvalidData(["DATABASE_URL"], "must be file:PATH (SQLite) or postgres://… (PostgreSQL)")
    )
  }
  if (Option.isSome(schema) && !schemaName.test(schema.value)) {
    return Either.left(ConfigError.InvalidData(["DATABASE_SCHEMA"], "must be a lower-case SQL name"))
  }
  const options = fromUrl(Option.getOrUndefined(url))
  if (!isPostgres(options)) {
    return Either.right(
      Option.isSome(lockTimeout) ? { ...options, busyTimeoutMs: Duration.toMillis(lockTimeout.value) } : options
    )
  }
  return Either.right({
    ...options,
    ...pool,
    ...(Option.isSome(schema) ? { schema: schema.value } : {}),
    ...(Option.isSome(lockTimeout) ? { lockTimeout: lockTimeout.value } : {})
  })
}))

/**
 * Whether the database's schema is migrated: done at start, or later for a database that did not answer at start.
 * `/ready` answers 503 until it is.
 */
export class Migrated extends Context.Tag("identity-admin/Database/Migrated")<Migrated, Deferred.Deferred<void>>() {}

/**
 * Runs `effect` now if the database is migrated, else in the background, in the scope, once it is; the log says that
 * `what` waits.
 */
export const whenMigrated = <R>(
  what: string,
  effect: Effect.Effect<void, never, R>
): Effect.Effect<void, never, Migrated | Scope.Scope | R> =>
  Effect.gen(function*() {
    const migrated = yield* Migrated
    if (yield* Deferred.isDone(migrated)) return yield* effect
    yield* Effect.logWarning(`${what} waits for the database`)
    yield* Effect.forkScoped(Effect.zipRight(Deferred.await(migrated), effect))
  })

/** BIGINT (`int8`) columns as numbers, as SQLite gives them: the service's are milliseconds and counts. */
const postgresTypes = new Pg.TypeOverrides()
postgresTypes.setTypeParser(Pg.types.builtins.INT8, Number)

const postgresClient = (
  options: PostgresOptions
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError.SqlError> => {
  if (options.schema !== undefined && !schemaName.test(options.schema)) {
    const message = `The database schema must be a lower-case SQL name: ${options.schema}`
    return Layer.fail(new SqlError.SqlError({ message }))
  }
  const statementTimeout = Duration.toMillis(options.statementTimeout ?? Duration.seconds(10))
  return PgClient.layerFromPool({
    // Connections are made when statements need them: a server that is down at start is no failure here.
    acquire: Effect.acquireRelease(
      Effect.sync(() => {
        const pool = new Pg.Pool({
          connectionString: Redacted.value(options.url),
          connectionTimeoutMillis: Duration.toMillis(options.connectTimeout ?? Duration.seconds(5)),
          statement_timeout: statementTimeout,
          ...(options.lockTimeout !== undefined ? { lock_timeout: Duration.toMillis(options.lockTimeout) } : {}),
          // A server that stops answering without closing the connection: given up a second after its own timeout.
          query_timeout: statementTimeout + 1000,
          keepAlive: true,
          max: options.maxConnections ?? 10,
          application_name: "errata-identity-admin",
          ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
          types: postgresTypes
        })
        // An idle connection the server closed leaves the pool, which connects anew for the next statement; the
        // pool's error event must be listened to, or it ends the process.
        pool.on("error", () => {})
        return pool
      }),
      (pool) => Effect.promise(() => pool.end()).pipe(Effect.interruptible, Effect.timeoutOption(1000))
    ),
    applicationName: "errata-identity-admin"
  })
}

const sqliteOptions = (options: SqliteOptions): Sqlite.Options => ({
  filename: options.filename,
  readonly: options.readonly,
  lockTimeout: Math.max(0, options.busyTimeoutMs ?? 5000)
})

const sqliteClient = (options: SqliteOptions): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.scoped(SqlClient.SqlClient, Sqlite.client(sqliteOptions(options)))

/**
 * A client of the database, with no migration: the service's, and that of a tool (or a test) that reaches the same
 * database as another process would.
 */
export const client = (options: Options): Layer.Layer<SqlClient.SqlClient, unknown> =>
  isPostgres(options) ? postgresClient(options) : sqliteClient(options)

/** Creates the schema if it does not exist; only asked for when it is missing, which needs the right to create. */
const createSchema = (schema: string | undefined) =>
  Effect.gen(function*() {
    if (schema === undefined) return
    const sql = yield* SqlClient.SqlClient
    const found = yield* sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`
    if (found.length === 0) yield* sql`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`
  })

/**
 * The attempts to open and migrate a database that cannot be used: capped at 5 seconds apart, jittered, so that
 * instances that start together do not retry together.
 */
const migrationRetries = Schedule.exponential("200 millis").pipe(
  Schedule.either(Schedule.spaced("5 seconds")),
  Schedule.jittered
)

/** Applies the migrations at once or, while the database cannot be used, in the background until it can. */
const migrate = <R>(run: Effect.Effect<unknown, unknown, R>): Layer.Layer<Migrated, never, R> =>
  Layer.scoped(
    Migrated,
    Effect.gen(function*() {
      const migrated = yield* Deferred.make<void>()
      const attempt = Effect.zipRight(run, Deferred.succeed(migrated, undefined))
      const first = yield* Effect.exit(attempt)
      if (Exit.isFailure(first)) {
        yield* Effect.logError("database unavailable; answering database_error", first.cause)
        yield* attempt.pipe(
          Effect.tapErrorCause((cause) => Effect.logWarning("database still unavailable; migrations retried", cause)),
          Effect.retry(migrationRetries),
          Effect.zipRight(Effect.logInfo("database migrated")),
          Effect.forkScoped
        )
      }
      return migrated
    })
  )

/**
 * A client whose every statement fails, for a PostgreSQL the service cannot be configured for (a schema name it
 * refuses): the service stays up, and each request that needs the database is answered `database_error` (or, to
 * check credentials, `service_unavailable`).
 */
const unavailable = (cause: unknown): Layer.Layer<SqlClient.SqlClient | Migrated> =>
  Layer.merge(
    Layer.effect(
      SqlClient.SqlClient,
      SqlClient.make({
        acquirer: Effect.fail(new SqlError.SqlError({ message: "The database could not be opened", cause })),
        compiler: PgClient.makeCompiler(),
        spanAttributes: []
      })
    ).pipe(Layer.provide(Reactivity.layer)),
    Layer.effect(Migrated, Deferred.make<void>())
  )

/** A SQLite file opened and migrated at once if it can be, else in the background, and again if it is replaced. */
const sqliteLayer = (options: SqliteOptions): Layer.Layer<SqlClient.SqlClient | Migrated> =>
  Layer.scopedContext(Effect.gen(function*() {
    const migrated = yield* Deferred.make<void>()
    const sql = yield* Sqlite.make({
      ...sqliteOptions(options),
      setup: options.readonly ? Effect.void : SqliteMigrator.run({ loader: Migrations.loader }),
      retries: migrationRetries,
      onOpen: Deferred.succeed(migrated, undefined)
    })
    return Context.make(SqlClient.SqlClient, sql).pipe(Context.add(Migrated, migrated))
  })).pipe(Layer.provide(NodeContext.layer))

/**
 * A migrated client of the database; a database that cannot be opened or reached leaves the service up, answering
 * with an error until it can be, rather than down.
 */
export const layer = (options: Options): Layer.Layer<SqlClient.SqlClient | Migrated> => {
  if (!isPostgres(options)) return sqliteLayer(options)
  const migrated = migrate(Effect.zipRight(createSchema(options.schema), PgMigrator.run({ loader: Migrations.loader })))
    .pipe(Layer.provideMerge(postgresClient(options)))
  return migrated.pipe(
    Layer.provide(NodeContext.layer),
    Layer.catchAllCause((cause) =>
      Layer.unwrapEffect(
        Effect.as(
          Effect.logError("database unavailable; answering database_error", cause),
          unavailable(cause)
        )
      )
    )
  )
}

/**
 * The database the environment names (`config`).
 */
export const layerConfig: Layer.Layer<SqlClient.SqlClient | Migrated> = Layer.unwrapEffect(
  Effect.map(config, layer)
).pipe(Layer.orDie)
