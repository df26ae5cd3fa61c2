/**
 * Background jobs and exports over real HTTP, with the real client, against the real service and a real export
 * destination on loopback (`fixtures/Upstream.ts`): imports of CSV and JSON lines, their progress and rejected rows,
 * cancelling, a crash, exports delivered or not, the synchronous export's 502 and 504, and jobs across instances
 * that stop, die or share one database. Every wait is a bounded poll.
 */
import { HttpClientRequest } from "@effect/platform"
import type { HttpClient } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import {
  BadGateway,
  Conflict,
  ExportFailed,
  ImportFailed,
  JobCancelled,
  JobFailed,
  JobNotFound,
  Timeout
} from "@errata/domain/Errors"
import { Testing } from "@errata/server"
import { Clock, Context, Effect, Either, Exit, Layer, Redacted, Scope } from "effect"
import type * as IdentityAdmin from "../src/IdentityAdmin.js"
import type { JobId } from "../src/Job.js"
import { CreateUser } from "../src/User.js"
import { failsWith, withBearer } from "./fixtures/Client.js"
import { fresh, kind } from "./fixtures/Database.js"
import { adminToken, service, userTokens, withToken } from "./fixtures/Service.js"
import { pollUntil } from "./fixtures/Poll.js"
import * as Upstream from "./fixtures/Upstream.js"

type Admin = Effect.Effect.Success<ReturnType<typeof withBearer>>

/** Quick to pick up jobs, quick to give up on the destination. */
const fast = { jobs: { pollInterval: "100 millis" }, upstreamTimeout: "1 second" } as const

const asAdmin = Effect.flatMap(adminToken(), withBearer)

/** The job once it has ended: `Right` if it succeeded, else `Left` with the error reading it answers. */
const ended = (client: Admin, id: JobId) =>
  pollUntil(
    Effect.either(client.jobs.get({ path: { id } })),
    (read) => Either.isLeft(read) || read.right.status === "succeeded"
  )

/** The job once it runs and `also` holds. */
const running = (client: Admin, id: JobId, also: () => boolean = () => true) =>
  pollUntil(client.jobs.get({ path: { id } }), (job) => job.status === "running" && also())

/** The job as the list shows it, whatever its outcome. */
const listed = (client: Admin, id: JobId) =>
  Effect.map(client.jobs.list({ urlParams: {} }), (page) => page.jobs.find((job) => job.id === id)!)

const csv = (text: string) => ({ format: "csv" as const, text })
const ndjson = (rows: ReadonlyArray<unknown>) => ({
  format: "ndjson" as const,
  text: rows.map((row) => JSON.stringify(row)).join("\n")
})

const postImport = (token: string, contentType: string, body: string) =>
  Testing.send(HttpClientRequest.post("/api/admin/jobs/imports").pipe(
    withToken(token),
    HttpClientRequest.bodyText(body, contentType)
  ))

/** Runs statements on the database as another process would. */
const onDatabase = <A>(
  database: { readonly client: Layer.Layer<SqlClient.SqlClient> },
  statements: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>
) =>
  Effect.flatMap(SqlClient.SqlClient, statements).pipe(Effect.provide(database.client), Effect.orDie)

/** The service with the destination at `upstream`, on a new database unless given. */
const withUpstream = (
  upstream: Upstream.Upstream,
  options: Partial<IdentityAdmin.Options> = {},
  logs?: Array<Testing.LogEntry>
) =>
  service({ exportUrl: upstream.url, ...fast, ...options }, logs)

describe("Jobs: bulk imports", () => {
  it.live("imports JSON lines and CSV in the background: 202 with the job, then its progress, then the users", () =>
    Effect.gen(function*() {
      const token = yield* adminToken()
      const client = yield* withBearer(token)

      const answer = yield* postImport(
        token,
        "text/csv",
        "email,name,password,role\n" +
          "ann@example.com,Ann,s3cretpass1,admin\n" +
          "\"bob@example.com\",\"Bob, Jr.\",s3cretpass2,\n"
      )
      assert.strictEqual(answer.status, 202, answer.body)
      const queued = JSON.parse(answer.body)
      assert.match(queued.id, /^job_[0-9a-f]{32}$/)
      assert.deepStrictEqual(
        { kind: queued.kind, status: queued.status, progress: queued.progress, row_errors: queued.row_errors },
        { kind: "import_users", status: "queued", progress: { done: 0, total: null }, row_errors: [] }
      )
      const fromCsv = yield* ended(client, queued.id)
      assert.isTrue(Either.isRight(fromCsv), JSON.stringify(fromCsv))
      const csvJob = Either.getOrThrow(fromCsv)
      assert.deepStrictEqual(
        {
          status: csvJob.status,
          progress: { ...csvJob.progress },
          result: { ...csvJob.result },
          attempts: csvJob.attempts
        },
        { status: "succeeded", progress: { done: 2, total: 2 }, result: { imported: 2 }, attempts: 1 }
      )
      assert.isDefined(csvJob.startedAt)
      assert.isDefined(csvJob.finishedAt)

      const job = yield* client.jobs.createImport({
        payload: ndjson([
          { email: "Cy@Example.com", name: "Cy", password: "s3cretpass3" },
          { email: "dee@example.com", name: "Dee", password: "s3cretpass4", role: "member" }
        ])
      })
      assert.strictEqual(job.kind, "import_users")
      const fromJsonLines = Either.getOrThrow(yield* ended(client, job.id))
      assert.deepStrictEqual({ ...fromJsonLines.progress }, { done: 2, total: 2 })

      const users = (yield* client.users.list({ urlParams: {} })).users
      assert.deepStrictEqual(
        users.map((user) => [user.email, user.name, user.role]).sort(),
        [
          ["ann@example.com", "Ann", "admin"],
          ["bob@example.com", "Bob, Jr.", "member"],
          ["cy@example.com", "Cy", "member"],
          ["dee@example.com", "Dee", "member"]
        ]
      )
      // The passwords were hashed as the users module hashes them: each user signs in with theirs.
      yield* userTokens("ann@example.com", "s3cretpass1")
      yield* userTokens("cy@example.com", "s3cretpass3")
    }).pipe(Effect.provide(service(fast))), { timeout: 30_000 })

  it.live("refuses an upload of another content type with 415", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ email: "x@example.com" })
      const answer = yield* postImport(yield* adminToken(), "application/json", body)
      assert.strictEqual(answer.status, 415, answer.body)
    }).pipe(Effect.provide(service(fast))))

  it.live("fails an import with invalid rows as import_failed, a field error per problem, and imports nothing", () =>
    Effect.gen(function*() {
      const client = yield* asAdmin
      yield* client.users.create({
        payload: new CreateUser({ email: "taken@example.com", name: "Taken", password: Redacted.make("s3cretpass") })
      })
      const rows = [
        JSON.stringify({ email: "ok@example.com", name: "Ok", password: "s3cretpass" }),
        JSON.stringify({ email: "not-an-email", name: "Bad email", password: "s3cretpass" }),
        JSON.stringify({ email: "noname@example.com", password: "s3cretpass" }),
        JSON.stringify({ email: "weak@example.com", name: "Weak", password: "short" }),
        "{not json",
        JSON.stringify({ email: "OK@example.com", name: "Again", password: "s3cretpass" }),
        JSON.stringify({ email: "taken@example.com", name: "Taken", password: "s3cretpass" }),
        JSON.stringify({ email: "role@example.com", name: "Role", password: "s3cretpass", role: "root" }),
        "[1, 2]"
      ]
      const job = yield* client.jobs.createImport({ payload: { format: "ndjson", text: rows.join("\n") } })
      const read = yield* ended(client, job.id)
      assert.isTrue(Either.isLeft(read), JSON.stringify(read))
      const error = Either.isLeft(read) ? read.left : undefined
      const expected = [
        { field: "rows[1].email", message: "rows[1].email must be a valid email address", code: "invalid_email" },
        { field: "rows[2].name", message: "rows[2].name is required", code: "required" },
        {
          field: "rows[3].password",
          message: "rows[3].password must be at least 8 characters long and contain a letter and a digit",
          code: "invalid_password"
        },
        { field: "rows[4]", message: "rows[4] is not valid JSON", code: "invalid_json" },
        { field: "rows[5].email", message: "rows[5].email is the email of rows[0] too", code: "duplicate" },
        { field: "rows[6].email", message: "rows[6].email is already in use", code: "already_exists" },
        { field: "rows[7].role", message: "rows[7].role must be one of admin, member", code: "not_allowed" },
        { field: "rows[8]", message: "rows[8] must be an object", code: "invalid_type" }
      ]
      // The default wire format carries each field's message, not its code.
      assert.instanceOf(error, ImportFailed)
      assert.deepStrictEqual(
        (error as ImportFailed).fieldErrors,
        expected.map(({ field, message }) => ({ field, message }))
      )
      // All or nothing: not even the valid row was imported.
      const emails = (yield* client.users.list({ urlParams: {} })).users.map((user) => user.email)
      assert.deepStrictEqual(emails, ["taken@example.com"])
      // The list shows the job as it is: failed, its progress, its rows with their codes.
      const shown = yield* listed(client, job.id)
      assert.strictEqual(shown.status, "failed")
      assert.strictEqual(shown.failure?.code, "import_failed")
      assert.deepStrictEqual({ ...shown.progress }, { done: 9, total: 9 })
      assert.deepStrictEqual(shown.rowErrors, expected)
    }).pipe(Effect.provide(service(fast))), { timeout: 30_000 })

  it.live("names the CSV header's and records' problems as the caller's to fix", () =>
    Effect.gen(function*() {
      const client = yield* asAdmin
      const noPassword = yield* client.jobs.createImport({
        payload: csv("email,name,passwd\na@example.com,A,s3cretpass\n")
      })
      const broken = yield* client.jobs.createImport({
        payload: csv("email,name,password\na@example.com,A,s3cretpass\nb@example.com,B\nc@example.com,C,\"s3cret\n")
      })
      const empty = yield* client.jobs.createImport({ payload: csv("email,name,password\n") })
      const errorOf = (id: JobId) =>
        Effect.map(
          ended(client, id),
          (read) => Either.isLeft(read) && read.left instanceof ImportFailed ? read.left.fieldErrors : read
        )
      assert.deepStrictEqual(yield* errorOf(noPassword.id), [
        { field: "header.password", message: "header.password is a column the header must name" },
        {
          field: "header[2]",
          message: "header[2] is an unknown or repeated column; the columns are email, name, password, role"
        }
      ])
      assert.deepStrictEqual(yield* errorOf(broken.id), [
        { field: "rows[1]", message: "rows[1] does not have as many fields as the header" },
        { field: "rows[2]", message: "rows[2] has a quote that is never closed" }
      ])
      assert.deepStrictEqual(yield* errorOf(empty.id), [{ field: "rows", message: "The upload has no rows" }])
      const codes = (yield* listed(client, broken.id)).rowErrors.map((error) => error.code)
      assert.deepStrictEqual(codes, ["invalid_csv", "invalid_csv"])
    }).pipe(Effect.provide(service(fast))), { timeout: 30_000 })

  it.live("fails an import whose database fails under it as job_failed, and imports nothing", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const logs: Array<Testing.LogEntry> = []
      yield* Effect.gen(function*() {
        const client = yield* asAdmin
        // Another process breaks the database: every insert into users fails.
        yield* onDatabase(database, (sql) =>
          kind === "sqlite"
            ? sql`CREATE TRIGGER refuse BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`
            : Effect.zipRight(
              sql`CREATE FUNCTION refuse() RETURNS trigger
                AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql`,
              sql`CREATE TRIGGER refuse BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse()`
            ))
        const job = yield* client.jobs.createImport({
          payload: ndjson([{ email: "eve@example.com", name: "Eve", password: "s3cretpass" }])
        })
        const read = yield* ended(client, job.id)
        assert.isTrue(Either.isLeft(read) && read.left instanceof JobFailed, JSON.stringify(read))
        assert.strictEqual(
          Either.isLeft(read) ? read.left.message : "",
          "The job failed; the service's log has the reason"
        )
        assert.isTrue(logs.some((entry) => entry.message === "job failed" && entry.annotations.job_id === job.id))
        // The job's end rolled back with the inserts, then was written as a failure.
        const shown = yield* listed(client, job.id)
        assert.deepStrictEqual([shown.status, shown.failure?.code], ["failed", "job_failed"])
        assert.deepStrictEqual((yield* client.users.list({ urlParams: {} })).users, [])
      }).pipe(Effect.provide(service({ ...fast, database: database.options }, logs)))
    }).pipe(Effect.scoped), { timeout: 30_000 })
})

describe("Jobs: reading and cancelling", () => {
  it.live("answers an unknown job with 404 job_not_found", () =>
    Effect.gen(function*() {
      const client = yield* asAdmin
      const nobody = "job_nobody" as JobId
      const error = yield* failsWith(client.jobs.get({ path: { id: nobody } }), JobNotFound)
      assert.strictEqual(error.message, "The specified job was not found")
      yield* failsWith(client.jobs.cancel({ path: { id: nobody } }), JobNotFound)
    }).pipe(Effect.provide(service(fast))))

  it.live("cancels a queued job: read later, it answers 400 job_cancelled; cancelled again, 409 conflict", () =>
    Effect.gen(function*() {
      const client = yield* asAdmin
      const job = yield* client.jobs.createImport({
        payload: ndjson([{ email: "q@example.com", name: "Q", password: "s3cretpass" }])
      })
      const cancelled = yield* client.jobs.cancel({ path: { id: job.id } })
      assert.strictEqual(cancelled.status, "cancelled")
      assert.isDefined(cancelled.finishedAt)
      yield* failsWith(client.jobs.get({ path: { id: job.id } }), JobCancelled)
      const again = yield* failsWith(client.jobs.cancel({ path: { id: job.id } }), Conflict)
      assert.strictEqual(again.message, "The job has already ended: it is cancelled")
      assert.strictEqual((yield* listed(client, job.id)).status, "cancelled")
    }).pipe(Effect.provide(service({ ...fast, jobs: { concurrency: 0 } }))))

  it.live("cancels a running job: its fiber is interrupted, and its delivery abandoned", () =>
    Effect.gen(function*() {
      const upstream = yield* Upstream.make("hang")
      yield* Effect.gen(function*() {
        const client = yield* asAdmin
        yield* client.users.create({
          payload: new CreateUser({ email: "run@example.com", name: "Run", password: Redacted.make("s3cretpass") })
        })
        const job = yield* client.jobs.createExport()
        const seen = yield* running(client, job.id, () => upstream.requests() > 0)
        // While it runs, its progress is visible: the users collected, none delivered yet.
        assert.deepStrictEqual({ ...seen.progress }, { done: 0, total: 1 })
        const cancelled = yield* client.jobs.cancel({ path: { id: job.id } })
        assert.strictEqual(cancelled.status, "cancelled")
        yield* failsWith(client.jobs.get({ path: { id: job.id } }), JobCancelled)
        // The delivery in flight was given up: the destination's caller hung up.
        const abandoned = yield* pollUntil(Effect.sync(() => upstream.abandoned()), (n) => n > 0)
        assert.strictEqual(abandoned, 1)
      }).pipe(Effect.provide(withUpstream(upstream, { upstreamTimeout: "30 seconds" })))
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("answers 409 conflict to cancelling a job that has ended", () =>
    Effect.gen(function*() {
      const client = yield* asAdmin
      const job = yield* client.jobs.createImport({
        payload: csv("email,name,password\nfin@example.com,Fin,s3cretpass\n")
      })
      assert.isTrue(Either.isRight(yield* ended(client, job.id)))
      const error = yield* failsWith(client.jobs.cancel({ path: { id: job.id } }), Conflict)
      assert.strictEqual(error.message, "The job has already ended: it is succeeded")
    }).pipe(Effect.provide(service(fast))), { timeout: 30_000 })
})

describe("Jobs: exports to the destination", () => {
  it.live("answers an export without a destination as the service's fault: 500 internal_error, or job_failed", () =>
    Effect.gen(function*() {
      const token = yield* adminToken()
      const answer = yield* Testing.send(HttpClientRequest.post("/api/admin/exports").pipe(withToken(token)))
      assert.strictEqual(answer.status, 500)
      assert.include(answer.body, "internal_error")
      const client = yield* withBearer(token)
      const job = yield* client.jobs.createExport()
      const read = yield* ended(client, job.id)
      assert.isTrue(Either.isLeft(read) && read.left instanceof JobFailed, JSON.stringify(read))
    }).pipe(Effect.provide(service(fast))))

  it.live("delivers an export of every user, without a password hash, through the Errata client", () =>
    Effect.gen(function*() {
      const upstream = yield* Upstream.make("ok")
      const logs: Array<Testing.LogEntry> = []
      yield* Effect.gen(function*() {
        const client = yield* asAdmin
        for (const email of ["ex1@example.com", "ex2@example.com"]) {
          yield* client.users.create({
            payload: new CreateUser({ email, name: "Ex", password: Redacted.make("s3cretpass") })
          })
        }
        const job = yield* client.jobs.createExport()
        assert.strictEqual(job.kind, "export_users")
        const done = Either.getOrThrow(yield* ended(client, job.id))
        const name = `users-${job.id}.json`
        assert.deepStrictEqual({ ...done.result }, { exported: 2, name })
        assert.deepStrictEqual({ ...done.progress }, { done: 2, total: 2 })
        assert.strictEqual(upstream.received.length, 1)
        const delivered = upstream.received[0]!
        assert.strictEqual(delivered.name, name)
        const document = JSON.parse(delivered.body)
        assert.strictEqual(document.name, name)
        const users: Array<Record<string, unknown>> = document.users
        assert.deepStrictEqual(users.map((user) => user.email).sort(), ["ex1@example.com", "ex2@example.com"])
        assert.deepStrictEqual(
          Object.keys(users[0]!).sort(),
          ["created_at", "email", "id", "name", "role", "status", "updated_at"]
        )
        assert.notInclude(delivered.body, "password")
        assert.notInclude(delivered.body, "scrypt$")
        const logged = logs.find((entry) => entry.message === "export delivered")
        assert.strictEqual(logged?.annotations.upstream_request_id, "up_1")
      }).pipe(Effect.provide(withUpstream(upstream, {}, logs)))
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("fails an export job whose destination answers 5xx as export_failed, without the destination's body", () =>
    Effect.gen(function*() {
      const upstream = yield* Upstream.make("error")
      yield* Effect.gen(function*() {
        const client = yield* asAdmin
        const job = yield* client.jobs.createExport()
        const read = yield* ended(client, job.id)
        assert.isTrue(Either.isLeft(read) && read.left instanceof ExportFailed, JSON.stringify(read))
        assert.strictEqual(
          Either.isLeft(read) ? read.left.message : "",
          "The export could not be delivered: The export destination did not accept the export"
        )
        // Retried as the client's policy says, then given up.
        assert.isAbove(upstream.requests(), 1)
        const answer = yield* Testing.send(
          HttpClientRequest.get(`/api/admin/jobs/${job.id}`).pipe(withToken(yield* adminToken()))
        )
        assert.strictEqual(answer.status, 500)
        assert.include(answer.body, "export_failed")
        assert.notInclude(answer.body, Upstream.upstreamSecret)
      }).pipe(Effect.provide(withUpstream(upstream)))
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("exports at once: 201 with the receipt, 502 bad_gateway for garbage or a 5xx, 504 timeout for silence", () =>
    Effect.gen(function*() {
      const upstream = yield* Upstream.make("ok")
      const logs: Array<Testing.LogEntry> = []
      yield* Effect.gen(function*() {
        const token = yield* adminToken()
        const client = yield* withBearer(token)
        yield* client.users.create({
          payload: new CreateUser({ email: "now@example.com", name: "Now", password: Redacted.make("s3cretpass") })
        })
        const receipt = yield* client.exports.create()
        assert.match(receipt.name, /^users-exp_[0-9a-f]{32}\.json$/)
        assert.strictEqual(receipt.exported, 1)
        assert.strictEqual(upstream.received[0]?.name, receipt.name)

        const raw = () => Testing.send(HttpClientRequest.post("/api/admin/exports").pipe(withToken(token)))
        const failuresLogged = () => logs.filter((entry) => entry.message === "export delivery failed")

        upstream.mode = "garbage"
        yield* failsWith(client.exports.create(), BadGateway)
        const garbage = yield* raw()
        assert.strictEqual(garbage.status, 502)
        assert.include(garbage.body, "bad_gateway")
        assert.notInclude(garbage.body, Upstream.upstreamSecret)
        assert.match(String(failuresLogged().at(-1)?.annotations.upstream_request_id), /^up_\d+$/)

        upstream.mode = "error"
        const before = upstream.requests()
        yield* failsWith(client.exports.create(), BadGateway)
        const failed = yield* raw()
        assert.strictEqual(failed.status, 502)
        assert.notInclude(failed.body, Upstream.upstreamSecret)
        assert.isAbove(upstream.requests() - before, 2)
        const logged = failuresLogged().at(-1)!
        assert.strictEqual(logged.annotations.upstream_status, 500)
        assert.match(String(logged.annotations.upstream_request_id), /^up_\d+$/)

        upstream.mode = "hang"
        yield* failsWith(client.exports.create(), Timeout)
        const hung = yield* raw()
        assert.strictEqual(hung.status, 504)
        assert.include(hung.body, "timeout")
        assert.strictEqual(failuresLogged().at(-1)?.annotations.reason, "transport_timeout")
        assert.isFalse(JSON.stringify(logs).includes(Upstream.upstreamSecret))
      }).pipe(Effect.provide(withUpstream(upstream, { upstreamTimeout: "500 millis" }, logs)))
    }).pipe(Effect.scoped), { timeout: 30_000 })
})

/** A service of its own scope, to stop in the middle of a test; its client and context. */
const instance = (options: Partial<IdentityAdmin.Options>) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(service(options), scope)
    const client = yield* Effect.provide(asAdmin, context)
    return { client, context: context as Context.Context<HttpClient.HttpClient>, stop: Scope.close(scope, Exit.void) }
  })

describe("Jobs across instances", () => {
  it.live("gives an instance's jobs back to the queue when it stops, for another to run", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const upstream = yield* Upstream.make("hang")
      const first = yield* instance({
        ...fast,
        exportUrl: upstream.url,
        upstreamTimeout: "30 seconds",
        database: database.options
      })
      const job = yield* first.client.jobs.createExport()
      yield* running(first.client, job.id, () => upstream.requests() > 0)
      yield* first.stop
      const [row] = yield* onDatabase(database, (sql) =>
        sql<{ status: string; claimed_by: string | null; attempts: number }>`
          SELECT status, claimed_by, attempts FROM jobs WHERE id = ${job.id}`)
      assert.deepStrictEqual({ ...row }, { status: "queued", claimed_by: null, attempts: 0 })

      upstream.mode = "ok"
      const second = yield* instance({ ...fast, exportUrl: upstream.url, database: database.options })
      const done = Either.getOrThrow(yield* ended(second.client, job.id))
      assert.strictEqual(done.attempts, 1)
      assert.deepStrictEqual(upstream.received.map((received) => received.name), [`users-${job.id}.json`])
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("runs again a job whose instance died (its lease expired), and fails one that has died too often", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const upstream = yield* Upstream.make("ok")
      // An instance that only queues jobs, then dies twice over: its claims stay in the database, their leases out.
      const queuer = yield* instance({
        ...fast,
        exportUrl: upstream.url,
        database: database.options,
        jobs: { concurrency: 0 }
      })
      const again = yield* queuer.client.jobs.createExport()
      const doomed = yield* queuer.client.jobs.createExport()
      const now = yield* Clock.currentTimeMillis
      yield* onDatabase(database, (sql) =>
        sql`UPDATE jobs SET status = 'running', claimed_by = 'ins_dead:1', lease_until = ${now - 1000},
          attempts = CASE WHEN id = ${doomed.id} THEN 3 ELSE 1 END, started_at = ${now - 5000}
          WHERE id IN (${again.id}, ${doomed.id})`)
      yield* queuer.stop

      const next = yield* instance({ ...fast, exportUrl: upstream.url, database: database.options })
      const done = Either.getOrThrow(yield* ended(next.client, again.id))
      assert.strictEqual(done.attempts, 2)
      const gaveUp = yield* ended(next.client, doomed.id)
      assert.isTrue(Either.isLeft(gaveUp) && gaveUp.left instanceof JobFailed, JSON.stringify(gaveUp))
      assert.strictEqual(
        Either.isLeft(gaveUp) ? gaveUp.left.message : "",
        "The job was interrupted 3 times; it is not run again"
      )
      assert.deepStrictEqual(upstream.received.map((received) => received.name), [`users-${again.id}.json`])
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("stops a job that another instance cancels, at its next lease renewal", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const upstream = yield* Upstream.make("hang")
      const options = {
        ...fast,
        exportUrl: upstream.url,
        upstreamTimeout: "30 seconds" as const,
        database: database.options
      }
      const runner = yield* instance({ ...options, jobs: { ...fast.jobs, lease: "600 millis" } })
      const other = yield* instance({ ...options, jobs: { concurrency: 0 } })
      const job = yield* runner.client.jobs.createExport()
      yield* running(runner.client, job.id, () => upstream.requests() > 0)
      assert.strictEqual((yield* other.client.jobs.cancel({ path: { id: job.id } })).status, "cancelled")
      assert.strictEqual(yield* pollUntil(Effect.sync(() => upstream.abandoned()), (n) => n > 0), 1)
      yield* failsWith(runner.client.jobs.get({ path: { id: job.id } }), JobCancelled)
    }).pipe(Effect.scoped), { timeout: 30_000 })

  it.live("runs each job once when two instances share one database", () =>
    Effect.gen(function*() {
      const database = yield* fresh()
      const upstream = yield* Upstream.make("ok")
      const options = {
        ...fast,
        jobs: { pollInterval: "20 millis" as const },
        exportUrl: upstream.url,
        database: database.options
      }
      const one = yield* instance(options)
      const two = yield* instance(options)
      const ids: Array<JobId> = []
      for (let i = 0; i < 4; i++) {
        ids.push((yield* one.client.jobs.createExport()).id, (yield* two.client.jobs.createExport()).id)
      }
      for (const id of ids) {
        const done = Either.getOrThrow(yield* ended(one.client, id))
        assert.strictEqual(done.attempts, 1)
      }
      assert.deepStrictEqual(
        upstream.received.map((received) => received.name).sort(),
        ids.map((id) => `users-${id}.json`).sort()
      )
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
