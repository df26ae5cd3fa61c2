/**
 * Where the service keeps its jobs, and how instances share them: an instance claims a job with one atomic
 * `UPDATE … WHERE id = (SELECT … LIMIT 1) … RETURNING`, which takes a queued job or one whose lease has expired,
 * and holds it while it renews its lease (`claimed_by`, `lease_until`). Every change to a claimed job is made only
 * while this instance still holds it and it still runs: a job cancelled or taken over meanwhile is not touched, and
 * the instance learns it has lost the job. An upload is kept only until its job ends. Every database failure
 * becomes `DatabaseError` (`Sql.orDatabaseError`).
 */
import { SqlClient } from "@effect/sql"
import type { CatalogError } from "@errata/domain"
import type { DatabaseError } from "@errata/domain/Errors"
import { Clock, Data, Effect, Option, Schema } from "effect"
import { randomUUID } from "node:crypto"
import type { JobFailure, JobKind } from "./Job.js"
import { Job, JobId, JobResult } from "./Job.js"
import { orDatabaseError } from "./Sql.js"

/** A job held by an instance: `holder` names the instance and the claim, and is what `claimed_by` holds. */
export interface Claim {
  readonly id: JobId
  readonly holder: string
}

/** The instance no longer holds the job: it was cancelled, or another instance took it over. */
export class JobLost extends Data.TaggedError("JobLost")<{ readonly id: JobId }> {}

export interface Progress {
  readonly done: number
  readonly total: number | null
}

export interface Succeeded {
  readonly _tag: "Succeeded"
  readonly result: JobResult
  readonly progress: Progress
}

export interface Failed {
  readonly _tag: "Failed"
  readonly failure: JobFailure
  readonly rowErrors: ReadonlyArray<CatalogError.FieldError>
  /** Unset: the progress last written stays. */
  readonly progress?: Progress
}

/** How a job ends, unless it is cancelled. */
export type Outcome = Succeeded | Failed

export interface Page {
  readonly limit: number
  readonly offset: number
}

/** A job an instance has just claimed, with its input. */
export interface Claimed {
  readonly job: Job
  readonly payload: string
}

interface JobRow {
  readonly id: string
  readonly kind: string
  readonly status: string
  readonly payload: string
  readonly progress_done: number
  readonly progress_total: number | null
  readonly row_errors: string
  readonly failure_code: string | null
  readonly failure_message: string | null
  readonly result: string | null
  readonly attempts: number
  readonly created_at: number
  readonly started_at: number | null
  readonly finished_at: number | null
}

const decodeJob = Schema.decodeUnknown(Job)

const iso = (millis: number | null) => millis === null ? undefined : new Date(Number(millis)).toISOString()

/** A row as the API shows it; a row that does not decode is a defect (`Sql.orDatabaseError`). */
const fromRow = (row: JobRow) =>
  decodeJob({
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: {
      done: Number(row.progress_done),
      total: row.progress_total === null ? null : Number(row.progress_total)
    },
    row_errors: JSON.parse(row.row_errors),
    ...(row.failure_code !== null ? { failure: { code: row.failure_code, message: row.failure_message ?? "" } } : {}),
    ...(row.result !== null ? { result: JSON.parse(row.result) } : {}),
    attempts: Number(row.attempts),
    created_at: iso(row.created_at),
    ...(row.started_at !== null ? { started_at: iso(row.started_at) } : {}),
    ...(row.finished_at !== null ? { finished_at: iso(row.finished_at) } : {})
  })

const encodeResult = Schema.encodeSync(Schema.parseJson(JobResult))

export class JobsRepository extends Effect.Service<JobsRepository>()("identity-admin/JobsRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(
      "id, kind, status, payload, progress_done, progress_total, row_errors, failure_code, failure_message, result, " +
        "attempts, created_at, started_at, finished_at"
    )
    /** On PostgreSQL, instances claiming at once skip the row another is claiming rather than wait for it. */
    const skipLocked = sql.onDialectOrElse({
      pg: () => sql.literal("FOR UPDATE SKIP LOCKED"),
      orElse: () => sql.literal("")
    })

    const one = (rows: ReadonlyArray<JobRow>) =>
      rows[0] === undefined ? Effect.succeed(Option.none<Job>()) : Effect.map(fromRow(rows[0]), Option.some)

    /** Whether a statement that changes a claimed job found it still held and running. */
    const held = (claim: Claim) => sql`id = ${claim.id} AND claimed_by = ${claim.holder} AND status = 'running'`

    const insert = (job: {
      readonly id: JobId
      readonly kind: JobKind
      readonly payload: string
      readonly createdBy: string
    }): Effect.Effect<Job, DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* sql<JobRow>`INSERT INTO jobs ${
          sql.insert({
            id: job.id,
            kind: job.kind,
            status: "queued",
            payload: job.payload,
            progress_done: 0,
            row_errors: "[]",
            attempts: 0,
            created_by: job.createdBy,
            created_at: now,
            updated_at: now
          })
        } RETURNING ${columns}`
        return yield* fromRow(rows[0]!)
      }).pipe(orDatabaseError)

    const find = (id: JobId): Effect.Effect<Option.Option<Job>, DatabaseError> =>
      Effect.flatMap(sql<JobRow>`SELECT ${columns} FROM jobs WHERE id = ${id}`, one).pipe(orDatabaseError)

    /** The most recent jobs first. */
    const list = (page: Page): Effect.Effect<ReadonlyArray<Job>, DatabaseError> =>
      Effect.flatMap(
        sql<JobRow>`SELECT ${columns} FROM jobs ORDER BY created_at DESC, id DESC
          LIMIT ${page.limit} OFFSET ${page.offset}`,
        Effect.forEach(fromRow)
      ).pipe(orDatabaseError)

    /** Claims the oldest job that is queued, or whose lease has expired, for `leaseMs`. */
    const claim = (holder: string, leaseMs: number): Effect.Effect<Option.Option<Claimed>, DatabaseError> =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const claimable = sql`(status = 'queued' OR (status = 'running' AND lease_until < ${now}))`
        const rows = yield* sql<JobRow>`
          UPDATE jobs SET status = 'running', claimed_by = ${holder}, lease_until = ${now + leaseMs},
            attempts = attempts + 1, progress_done = 0, progress_total = NULL,
            started_at = COALESCE(started_at, ${now}), updated_at = ${now}
          WHERE id = (SELECT id FROM jobs WHERE ${claimable} ORDER BY created_at, id LIMIT 1 ${skipLocked})
            AND ${claimable}
          RETURNING ${columns}`
        const row = rows[0]
        if (row === undefined) return Option.none()
        return Option.some({ job: yield* fromRow(row), payload: row.payload })
      }).pipe(orDatabaseError)

    const changeHeld = <E>(claim: Claim, set: Effect.Effect<ReadonlyArray<unknown>, E>) =>
      Effect.flatMap(set, (rows) => rows.length > 0 ? Effect.void : Effect.fail(new JobLost({ id: claim.id })))

    /** Extends the lease; fails with `JobLost` if the job is no longer this instance's to run. */
    const renew = (claim: Claim, leaseMs: number): Effect.Effect<void, JobLost | DatabaseError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changeHeld(claim, sql`UPDATE jobs SET lease_until = ${now + leaseMs} WHERE ${held(claim)} RETURNING id`)).pipe(
          orDatabaseError
        )

    const progress = (claim: Claim, done: number, total: number | null): Effect.Effect<void, JobLost | DatabaseError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        changeHeld(
          claim,
          sql`UPDATE jobs SET progress_done = ${done}, progress_total = ${total}, updated_at = ${now}
            WHERE ${held(claim)} RETURNING id`
        )).pipe(orDatabaseError)

    /** Ends a held job with its outcome, and forgets its upload. */
    const finish = (claim: Claim, outcome: Outcome): Effect.Effect<void, JobLost | DatabaseError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const failure = outcome._tag === "Failed" ? outcome.failure : undefined
        return changeHeld(
          claim,
          sql`UPDATE jobs SET status = ${outcome._tag === "Succeeded" ? "succeeded" : "failed"},
            progress_done = COALESCE(${outcome.progress?.done ?? null}, progress_done),
            progress_total = COALESCE(${outcome.progress?.total ?? null}, progress_total),
            row_errors = ${JSON.stringify(outcome._tag === "Failed" ? outcome.rowErrors : [])},
            failure_code = ${failure?.code ?? null}, failure_message = ${failure?.message ?? null},
            result = ${outcome._tag === "Succeeded" ? encodeResult(outcome.result) : null},
            payload = '', claimed_by = NULL, lease_until = NULL, finished_at = ${now}, updated_at = ${now}
          WHERE ${held(claim)} RETURNING id`
        )
      }).pipe(orDatabaseError)

    /** Gives a held job back to the queue, as if it had not been claimed: the instance is stopping. */
    const release = (claim: Claim): Effect.Effect<void, DatabaseError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        sql`UPDATE jobs SET status = 'queued', claimed_by = NULL, lease_until = NULL, attempts = attempts - 1,
          progress_done = 0, progress_total = NULL, updated_at = ${now} WHERE ${held(claim)}`).pipe(
          Effect.asVoid,
          orDatabaseError
        )

    /**
     * Cancels a job that is queued or running, and forgets its upload; `None` if it does not exist or has already
     * finished (`find` tells which).
     */
    const cancel = (id: JobId): Effect.Effect<Option.Option<Job>, DatabaseError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.flatMap(
          sql<JobRow>`UPDATE jobs SET status = 'cancelled', payload = '', claimed_by = NULL, lease_until = NULL,
            finished_at = ${now}, updated_at = ${now}
            WHERE id = ${id} AND status IN ('queued', 'running') RETURNING ${columns}`,
          one
        )).pipe(orDatabaseError)

    return { insert, find, list, claim, renew, progress, finish, release, cancel } as const
  })
}) {}

/** A new job's id: `job_` and 32 hex digits. */
export const newJobId = (): JobId => JobId.make(`job_${randomUUID().replace(/-/g, "")}`)
