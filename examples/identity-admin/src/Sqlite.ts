/**
 * The service's SQLite file, used so that it never stalls the service. better-sqlite3 is synchronous: while a
 * statement waits in SQLite's busy handler for a lock another process holds, the whole event loop waits with it. So
 * the busy handler waits a few milliseconds at most (`busyHandlerMs`), and an operation that still finds the file
 * locked (`SQLITE_BUSY`, `SQLITE_LOCKED`) is tried again on a jittered `Schedule` until its lock timeout: a statement
 * alone, or a transaction from its `BEGIN`, never a statement inside an open transaction. Between attempts the
 * connection is free, and the file is in WAL mode, so reads go on while a writer waits.
 *
 * A file that cannot be opened (its directory cannot be created, it is not a SQLite database) leaves the client
 * unavailable rather than the service down: it is opened in the background until it can be, and set up (migrated)
 * each time it is. A file removed or replaced under the service is noticed and opened again.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient, SqlError, Statement } from "@effect/sql"
import type { SqlConnection } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Context, Duration, Effect, Exit, Metric, Option, Ref, Schedule, Scope, Stream } from "effect"
import { mkdirSync, statSync, unlinkSync } from "node:fs"
import { stat } from "node:fs/promises"
import { dirname } from "node:path"
import { onWallClock } from "./WallClock.js"

/** A SQLite file, and how it is used. */
export interface Options {
  readonly filename: string
  readonly readonly?: boolean | undefined
  /** How long an operation waits for a lock held by another connection, trying again. Default 5 seconds. */
  readonly lockTimeout?: Duration.DurationInput | undefined
}

/**
 * How long SQLite's own busy handler may wait, blocking the event loop, before an attempt gives up: long enough
 * for another process's short write to end, short enough that no request waits on it.
 */
export const busyHandlerMs = 5

/** Whether a statement failed because another connection holds a lock it needs. */
export const isLocked = (error: SqlError.SqlError): boolean => {
  const code = (error.cause as { code?: unknown } | undefined)?.code
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
}

/** Operations (a statement alone, or a transaction) that found the file locked by another connection, and waited. */
export const lockWaits = Metric.counter("sqlite_lock_waits", {
  description: "SQLite operations that found the file locked by another connection and were tried again",
  incremental: true
})

/** Attempts a few milliseconds apart at first, 100 ms at most, jittered, until `timeout` has passed. */
const lockRetries = (timeout: Duration.DurationInput) =>
  Schedule.exponential(`${busyHandlerMs} millis`).pipe(
    Schedule.either(Schedule.spaced("100 millis")),
    Schedule.jittered,
    Schedule.upTo(timeout)
  )

/** Whether a statement of the transaction being tried found the file locked: then the whole transaction is retried. */
class Contention extends Context.Tag("identity-admin/Sqlite/Contention")<Contention, { locked: boolean }>() {}

/** A connection whose statements note in `contention` that they found the file locked. */
const noting = (connection: SqlConnection.Connection, contention: { locked: boolean }): SqlConnection.Connection => {
  const note = <A>(effect: Effect.Effect<A, SqlError.SqlError>) =>
    Effect.tapError(effect, (error) =>
      Effect.sync(() => {
        if (isLocked(error)) contention.locked = true
      }))
  return {
    execute: (sql, params, transformRows) => note(connection.execute(sql, params, transformRows)),
    executeRaw: (sql, params) => note(connection.executeRaw(sql, params)),
    executeValues: (sql, params) => note(connection.executeValues(sql, params)),
    executeUnprepared: (sql, params, transformRows) => note(connection.executeUnprepared(sql, params, transformRows)),
    executeStream: connection.executeStream
  }
}

/**
 * A client of the connection `current` gives (or of none, when it fails), that waits for locks without blocking:
 * each statement outside a transaction holds the connection only while it runs, and is retried while the file is
 * locked; a transaction is retried from its start when one of its statements found the file locked.
 */
const lockWaiting = (
  current: Effect.Effect<SqliteClient.SqliteClient, SqlError.SqlError>,
  lockTimeout: Duration.DurationInput
): Effect.Effect<SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const retries = lockRetries(lockTimeout)
    const waitingForLocks = <A, E, R>(attempt: Effect.Effect<A, E, R>, locked: (error: E) => boolean) =>
      Effect.catchIf(
        attempt,
        locked,
        () =>
          Effect.zipRight(Metric.increment(lockWaits), onWallClock(Effect.retry(attempt, { schedule: retries, while: locked })))
      )
    const reserve = Effect.flatMap(current, (client) => client.reserve)
    const alone = <A>(run: (connection: SqlConnection.Connection) => Effect.Effect<A, SqlError.SqlError>) =>
      waitingForLocks(Effect.scoped(Effect.flatMap(reserve, run)), isLocked)
    const statement: SqlConnection.Connection = {
      execute: (sql, params, transformRows) => alone((connection) => connection.execute(sql, params, transformRows)),
      executeRaw: (sql, params) => alone((connection) => connection.executeRaw(sql, params)),
      executeValues: (sql, params) => alone((connection) => connection.executeValues(sql, params)),
      executeUnprepared: (sql, params, transformRows) =>
        alone((connection) => connection.executeUnprepared(sql, params, transformRows)),
      executeStream: () => Stream.dieMessage("executeStream not implemented")
    }
    const client = yield* SqlClient.make({
      acquirer: Effect.succeed(statement),
      transactionAcquirer: Effect.flatMap(
        Effect.serviceOption(Contention),
        (contention) =>
          Effect.map(reserve, (connection) =>
            Option.isSome(contention) ? noting(connection, contention.value) : connection)
      ),
      compiler: Statement.makeCompilerSqlite(),
      spanAttributes: [["db.system.name", "sqlite"]]
    }).pipe(Effect.provide(Reactivity.layer))
    const transaction = client.withTransaction
    const withTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError.SqlError, R> =>
      Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) => {
        // A nested transaction is a savepoint of the outer one, which is retried as a whole.
        if (Option.isSome(outer)) return transaction(effect)
        const attempt = Effect.suspend(() => {
          const contention = { locked: false }
          return transaction(effect).pipe(
            Effect.provideService(Contention, contention),
            Effect.sandbox,
            Effect.mapError((cause) => ({ cause, locked: contention.locked }))
          )
        })
        return waitingForLocks(attempt, (failure) => failure.locked).pipe(
          Effect.mapError((failure) => failure.cause),
          Effect.unsandbox
        )
      })
    return Object.assign(client, { withTransaction })
  })

/** A file as it was when the connection opened it. */
interface Identity {
  readonly path: string
  readonly dev: number
  readonly ino: number
}

const identity = (path: string): Option.Option<Identity> => {
  const found = statSync(path, { throwIfNoEntry: false })
  return found === undefined ? Option.none() : Option.some({ path, dev: found.dev, ino: found.ino })
}

const isSameFile = (file: Identity) =>
  stat(file.path).then(({ dev, ino }) => dev === file.dev && ino === file.ino, () => false)

/** An open connection to the file: its client, the scope that closes it, and the files it opened. */
interface Opened {
  readonly client: SqliteClient.SqliteClient
  readonly scope: Scope.CloseableScope
  readonly database: Identity
  /** Its `-wal` and `-shm` files. */
  readonly companions: ReadonlyArray<Identity>
}

/** Opens the file (creating it and its directory if need be), in WAL mode, and runs `setup` on it. */
const open = <R>(
  options: Options,
  setup: Effect.Effect<unknown, unknown, SqlClient.SqlClient | SqliteClient.SqliteClient | R>
): Effect.Effect<Opened, SqlError.SqlError, R> =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    return yield* Effect.gen(function*() {
      if (!options.readonly) mkdirSync(dirname(options.filename), { recursive: true })
      // Not the client's own switch to WAL: it runs before the busy handler is bounded, and would block on a lock.
      const client = yield* SqliteClient.make({
        filename: options.filename,
        readonly: options.readonly,
        disableWAL: true
      }).pipe(Scope.extend(scope), Effect.provide(Reactivity.layer))
      const sql = yield* lockWaiting(Effect.succeed(client), options.lockTimeout ?? Duration.seconds(5))
      yield* sql.unsafe(`PRAGMA busy_timeout = ${busyHandlerMs}`)
      // Reading the header: a file that is not a database fails here.
      yield* sql.unsafe(options.readonly ? "SELECT count(*) FROM sqlite_master" : "PRAGMA journal_mode = WAL")
      yield* setup.pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.provideService(SqliteClient.SqliteClient, client)
      )
      const database = yield* identity(options.filename)
      const companions = ["-wal", "-shm"].flatMap((suffix) => Option.toArray(identity(options.filename + suffix)))
      return { client, scope, database, companions }
    }).pipe(
      Effect.onExit((exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)
    )
  }).pipe(
    Effect.sandbox,
    Effect.mapError((cause) =>
      new SqlError.SqlError({ message: "The database could not be opened", cause: Cause.squash(cause) })
    )
  )

/** Closes the connection once no statement or transaction holds it. */
const close = (opened: Opened) =>
  Effect.scoped(Effect.zipRight(opened.client.reserve, Scope.close(opened.scope, Exit.void))).pipe(Effect.ignore)

/** Done once the file at the connection's path is not the one it opened: removed, or replaced by another. */
const goneAway = (opened: Opened) =>
  Effect.promise(() => isSameFile(opened.database)).pipe(
    Effect.repeat({ schedule: Schedule.spaced("1 second"), while: (same) => same })
  )

/**
 * Closes the connection to a file that went away, and removes its `-wal` and `-shm` files if they are still the
 * ones it opened: SQLite would otherwise apply the old file's log to the new file at that path.
 */
const closeGone = (opened: Opened) =>
  Effect.zipRight(
    close(opened),
    Effect.forEach(opened.companions, (file) =>
      Effect.promise(() => isSameFile(file)).pipe(
        Effect.flatMap((same) => same ? Effect.sync(() => unlinkSync(file.path)) : Effect.void),
        Effect.catchAllDefect(() => Effect.void)
      ), { discard: true })
  )

/**
 * A client of a SQLite file, without setup, that fails if the file cannot be opened: a tool's, or a test's that
 * reaches the service's file as another process would.
 */
export const client = (options: Options): Effect.Effect<SqlClient.SqlClient, SqlError.SqlError, Scope.Scope> =>
  Effect.flatMap(
    Effect.acquireRelease(open(options, Effect.void), close),
    (opened) => lockWaiting(Effect.succeed(opened.client), options.lockTimeout ?? Duration.seconds(5))
  )

/**
 * The service's client of a SQLite file: opened, and set up with `setup`, at once if it can be, else in the
 * background until it can, on the schedule `retries`; opened again, and set up again, when the file is removed or
 * replaced. Until then every statement fails at once. `onOpen` runs after each setup.
 */
export const make = <R>(options: Options & {
  readonly setup: Effect.Effect<unknown, unknown, SqlClient.SqlClient | SqliteClient.SqliteClient | R>
  readonly retries: Schedule.Schedule<unknown, SqlError.SqlError>
  readonly onOpen: Effect.Effect<void>
}): Effect.Effect<SqlClient.SqlClient, never, Scope.Scope | R> =>
  Effect.gen(function*() {
    const notOpen = new SqlError.SqlError({ message: "The database is not open" })
    const current = yield* Ref.make<Option.Option<Opened>>(Option.none())
    const serving = (opened: Opened) => Effect.zipRight(Ref.set(current, Option.some(opened)), options.onOpen)
    const reopen = (opened: Opened) =>
      Effect.gen(function*() {
        yield* goneAway(opened)
        yield* Effect.logWarning("database file removed or replaced; opening it again")
        yield* Ref.set(current, Option.none())
        yield* closeGone(opened)
      })
    const openInBackground = open(options, options.setup).pipe(
      Effect.tapError((error) => Effect.logWarning("database still unavailable; opening retried", Cause.fail(error))),
      Effect.retry(options.retries),
      // The schedule that would end the attempts: the service cannot serve without its database.
      Effect.orDie,
      Effect.tap(() => Effect.logInfo("database migrated")),
      Effect.tap(serving)
    )
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Ref.getAndSet(current, Option.none()), Option.match({ onNone: () => Effect.void, onSome: close }))
    )
    const first = yield* Effect.either(open(options, options.setup))
    if (first._tag === "Right") yield* serving(first.right)
    else yield* Effect.logError("database unavailable; answering database_error", Cause.fail(first.left))
    const loop = (opened: Option.Option<Opened>): Effect.Effect<never, never, R> =>
      Effect.flatMap(
        Option.match(opened, { onNone: () => openInBackground, onSome: Effect.succeed }),
        (opened) => Effect.zipRight(reopen(opened), loop(Option.none()))
      )
    yield* Effect.forkScoped(onWallClock(loop(first._tag === "Right" ? Option.some(first.right) : Option.none())))
    return yield* lockWaiting(
      Effect.flatMap(Ref.get(current), Option.match({
        onNone: () => Effect.fail(notOpen),
        onSome: (opened) => Effect.succeed(opened.client)
      })),
      options.lockTimeout ?? Duration.seconds(5)
    )
  })
