/**
 * Background jobs — bulk imports of users (`UserImport`) and exports of every user to the export destination
 * (`Exports`) — queued by a request, and run outside it by the worker of whichever instance claims them first.
 *
 * Claims: each instance's worker, a fiber of the service's scope started once the database is migrated, claims
 * jobs (`JobsRepository.claim`) when one is queued on this instance and at every poll, runs up to `concurrency` at
 * once, and renews each one's lease every third of it. So each job runs on one instance at a time, however many
 * share the database. An instance that stops (its scope closes) interrupts its jobs and gives them back to the queue
 * at once. An instance that dies leaves its jobs `running` until their lease expires; then any instance claims them
 * again and runs them from the start — safe, since an import commits its users in one transaction with the job's end
 * and an export puts the same name again — unless a job has been claimed `maxAttempts` times already: it then fails
 * as `job_failed` rather than take down instance after instance. No job stays `running` for longer than its lease
 * without an instance holding it.
 *
 * Cancelling a queued or running job marks it cancelled in the database; its fiber is interrupted at once on this
 * instance, and on another when the job's next progress write or lease renewal finds it no longer running (an import
 * being committed then rolls back). A job that has ended cannot be cancelled (409 `conflict`).
 *
 * Reading a job answers its outcome as seed 004 documents it: the job while it is queued, running or once it has
 * succeeded; 400 `job_cancelled`, 422 `import_failed` (with the rejected rows as field errors), 500 `export_failed`
 * or 500 `job_failed` once it was cancelled or failed. The list shows every job as it is, status and progress
 * included, whatever its outcome.
 */
import type { BadGateway, DatabaseError, Timeout } from "@errata/domain/Errors"
import { Conflict, ExportFailed, ImportFailed, JobCancelled, JobFailed, JobNotFound } from "@errata/domain/Errors"
import {
  Cause,
  Clock,
  Context,
  Duration,
  Effect,
  FiberMap,
  Layer,
  Option,
  Queue,
  Schedule,
  Schema,
  Stream
} from "effect"
import { randomUUID } from "node:crypto"
import * as Database from "./Database.js"
import { exportName, Exports } from "./Export.js"
import type { ImportUpload, Job, JobId } from "./Job.js"
import { JobFailure, JobResult } from "./Job.js"
import type { Claim, Claimed, Outcome, Page } from "./JobsRepository.js"
import { JobLost, JobsRepository, newJobId } from "./JobsRepository.js"
import { StoredUpload, UserImport } from "./UserImport.js"
import { onWallClock } from "./WallClock.js"

export interface Options {
  /** How often an instance looks for jobs to run, besides when one is queued on it. Default 1 second. */
  readonly pollInterval?: Duration.DurationInput
  /** How long a claim lasts unless renewed; it is renewed every third of it. Default 30 seconds. */
  readonly lease?: Duration.DurationInput
  /** Jobs an instance runs at once. Default 2; 0 runs none (the instance only queues them). */
  readonly concurrency?: number
  /** Claims of a job after which it fails rather than run again. Default 3. */
  readonly maxAttempts?: number
}

/** The jobs settings in use: the defaults unless a layer provides others. */
export class JobSettings extends Context.Reference<JobSettings>()("identity-admin/JobSettings", {
  defaultValue: (): Options => ({})
}) {}

export const layer = (options: Options): Layer.Layer<JobSettings> => Layer.succeed(JobSettings, options)

const notFound = () => new JobNotFound({ message: "The specified job was not found" })

const failed = (code: JobFailure["code"], message: string): Outcome => ({
  _tag: "Failed",
  failure: new JobFailure({ code, message }),
  rowErrors: []
})

/** An export job whose destination did not take the export: the destination's failure, in our words only. */
const undelivered = (error: BadGateway | Timeout) =>
  failed("export_failed", `The export could not be delivered: ${error.message}`)

/** The error a job that was cancelled or failed answers with. */
const answerOf = (job: Job): Effect.Effect<Job, JobCancelled | ImportFailed | ExportFailed | JobFailed> => {
  if (job.status === "cancelled") return Effect.fail(new JobCancelled({ message: "The job was cancelled" }))
  if (job.status !== "failed") return Effect.succeed(job)
  const message = job.failure?.message ?? "The job failed"
  switch (job.failure?.code) {
    case "import_failed":
      return Effect.fail(new ImportFailed({ message, fieldErrors: job.rowErrors }))
    case "export_failed":
      return Effect.fail(new ExportFailed({ message }))
    default:
      return Effect.fail(new JobFailed({ message }))
  }
}

export class Jobs extends Effect.Service<Jobs>()("identity-admin/Jobs", {
  scoped: Effect.gen(function*() {
    const settings = yield* JobSettings
    const repository = yield* JobsRepository
    const imports = yield* UserImport
    const exports = yield* Exports
    const pollInterval = Duration.decode(settings.pollInterval ?? Duration.seconds(1))
    const leaseMs = Duration.toMillis(settings.lease ?? Duration.seconds(30))
    const concurrency = settings.concurrency ?? 2
    const maxAttempts = settings.maxAttempts ?? 3
    const instance = `ins_${randomUUID().replace(/-/g, "").slice(0, 16)}`
    let claims = 0
    const wake = yield* Queue.sliding<void>(1)
    const running = yield* FiberMap.make<JobId>()

    const exportJob = (claim: Claim): Effect.Effect<Option.Option<Outcome>, JobLost | DatabaseError> =>
      Effect.gen(function*() {
        const users = yield* exports.collect
        const total = users.length
        yield* repository.progress(claim, 0, total)
        return yield* exports.deliver(exportName(claim.id), users).pipe(
          Effect.map((receipt): Outcome => ({
            _tag: "Succeeded",
            result: new JobResult({ exported: receipt.exported, name: receipt.name }),
            progress: { done: total, total }
          })),
          Effect.catchTags({
            BadGateway: (error) => Effect.succeed(undelivered(error)),
            Timeout: (error) => Effect.succeed(undelivered(error))
          }),
          Effect.map(Option.some)
        )
      })

    /**
     * The job's work, while its lease is renewed; `JobLost` as soon as a renewal finds it no longer held, or when the
     * lease has run out without a renewal getting through (the database unreachable): another instance may hold the
     * job by then, and this one stops rather than do the work twice at once.
     */
    const work = (claimed: Claimed, claim: Claim) =>
      Effect.gen(function*() {
        let heldUntil = (yield* Clock.currentTimeMillis) + leaseMs
        const renew = repository.renew(claim, leaseMs).pipe(
          Effect.zipRight(Clock.currentTimeMillis),
          Effect.map((now) => void (heldUntil = now + leaseMs)),
          // A renewal the database refused is tried again at the next one, while the lease lasts.
          Effect.catchTag("DatabaseError", () =>
            Effect.flatMap(Clock.currentTimeMillis, (now) =>
              now < heldUntil ? Effect.void : Effect.fail(new JobLost({ id: claimed.job.id }))))
        )
        return yield* Effect.raceFirst(
          claimed.job.kind === "import_users" ? imports.run(claim, claimed.payload) : exportJob(claim),
          renew.pipe(Effect.repeat(Schedule.spaced(Duration.millis(leaseMs / 3))), Effect.zipRight(Effect.never))
        )
      })

    const run = (claimed: Claimed, claim: Claim): Effect.Effect<void> =>
      Effect.gen(function*() {
        const outcome = claimed.job.attempts > maxAttempts
          ? Option.some(failed("job_failed", `The job was interrupted ${maxAttempts} times; it is not run again`))
          : yield* work(claimed, claim)
        if (Option.isSome(outcome)) yield* repository.finish(claim, outcome.value)
        yield* Effect.logInfo({ message: "job ended" })
      }).pipe(
        Effect.catchTag("JobLost", () => Effect.logInfo({ message: "job no longer held by this instance" })),
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.failCause(Cause.stripFailures(cause)) : Effect.zipRight(
            Effect.logError({ message: "job failed" }, cause),
            repository.finish(claim, failed("job_failed", "The job failed; the service's log has the reason")).pipe(
              Effect.catchAllCause((cause) => Effect.logError({ message: "job failure not recorded" }, cause))
            )
          )
        ),
        Effect.onInterrupt(() =>
          repository.release(claim).pipe(
            Effect.catchAllCause((cause) => Effect.logWarning({ message: "job not given back to the queue" }, cause))
          )
        ),
        Effect.annotateLogs({ job_id: claim.id, job_kind: claimed.job.kind, instance })
      )

    /** Claims jobs while this instance has room for them. */
    const drain = Effect.gen(function*() {
      while ((yield* FiberMap.size(running)) < concurrency) {
        const holder = `${instance}:${++claims}`
        const claimed = yield* repository.claim(holder, leaseMs)
        if (Option.isNone(claimed)) return
        const claim = { id: claimed.value.job.id, holder }
        yield* FiberMap.run(running, claim.id, Effect.ensuring(run(claimed.value, claim), Queue.offer(wake, undefined)))
      }
    }).pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(Cause.stripFailures(cause))
          : Effect.logWarning({ message: "claiming jobs failed" }, cause)
      )
    )

    if (concurrency > 0) {
      yield* Database.whenMigrated(
        "the jobs worker",
        Stream.merge(Stream.fromQueue(wake), Stream.fromSchedule(Schedule.spaced(pollInterval))).pipe(
          Stream.runForEach(() => drain),
          onWallClock,
          Effect.forkScoped,
          Effect.zipRight(Queue.offer(wake, undefined)),
          Effect.asVoid
        )
      )
    }

    const enqueue = (job: Effect.Effect<Job, DatabaseError>) => onWallClock(Effect.tap(job, () => Queue.offer(wake, undefined)))

    const createImport = (upload: ImportUpload, createdBy: string): Effect.Effect<Job, DatabaseError> =>
      enqueue(repository.insert({
        id: newJobId(),
        kind: "import_users",
        payload: Schema.encodeSync(StoredUpload)(upload),
        createdBy
      }))

    const createExport = (createdBy: string): Effect.Effect<Job, DatabaseError> =>
      enqueue(repository.insert({ id: newJobId(), kind: "export_users", payload: "{}", createdBy }))

    const get = (
      id: JobId
    ): Effect.Effect<Job, JobNotFound | JobCancelled | ImportFailed | ExportFailed | JobFailed | DatabaseError> =>
      Effect.flatMap(
        repository.find(id),
        Option.match({
          onNone: (): Effect.Effect<Job, JobNotFound | JobCancelled | ImportFailed | ExportFailed | JobFailed> =>
            Effect.fail(notFound()),
          onSome: answerOf
        })
      )

    const list = (page: Page): Effect.Effect<ReadonlyArray<Job>, DatabaseError> => repository.list(page)

    const cancel = (id: JobId): Effect.Effect<Job, JobNotFound | Conflict | DatabaseError> =>
      onWallClock(Effect.gen(function*() {
        const cancelled = yield* repository.cancel(id)
        if (Option.isSome(cancelled)) {
          yield* FiberMap.remove(running, id)
          return cancelled.value
        }
        const found = yield* repository.find(id)
        if (Option.isNone(found)) return yield* Effect.fail(notFound())
        return yield* Effect.fail(new Conflict({ message: `The job has already ended: it is ${found.value.status}` }))
      }))

    return { createImport, createExport, get, list, cancel } as const
  })
}) {}
