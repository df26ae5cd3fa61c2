/**
 * The reference service on a PostgreSQL that fails: a server of the test's own, from the installed binaries, on a
 * spare loopback port, stopped and started again under the service. While it is down every request that needs it is
 * answered at once with an error of the catalog — `database_error`, or `service_unavailable` where credentials could
 * not be checked — with its request id and no word of SQL; once it is back, the same service works again. A service
 * started while its PostgreSQL is down starts, and is migrated when the database answers.
 */
import { HttpClientRequest } from "@effect/platform"
import { Command } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Webhooks } from "@errata/client"
import { WireFormat } from "@errata/domain"
import { Testing } from "@errata/server"
import type { HttpClient } from "@effect/platform"
import { Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort } from "../bench/freePort.js"
import * as Database from "../src/Database.js"
import { holdingWriteLock } from "./fixtures/Database.js"
import { json } from "./fixtures/Http.js"
import { admin, adminToken, createUser, service, tokenRequest, webhookSecret, withToken } from "./fixtures/Service.js"

/** The `bin` directory of the newest PostgreSQL installed, if any. */
const bin = (() => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((version) => ["initdb", "pg_ctl"].every((program) => existsSync(join(root, version, "bin", program))))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
})()

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
const owner = (() => {
  if (process.getuid?.() !== 0) return undefined
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim())
    return { uid: id("-u"), gid: id("-g") }
  } catch {
    return null
  }
})()

const skipped = bin === undefined
  ? "no PostgreSQL binaries in /usr/lib/postgresql/*/bin"
  : owner === null
  ? "running as root, and there is no postgres user to run PostgreSQL as"
  : undefined
if (skipped !== undefined) console.log(`PostgresFaults skipped: ${skipped}`)

/** Runs one of PostgreSQL's programs in `directory`; a failure fails the test. */
const run = (directory: string, program: string, ...args: Array<string>) =>
  Effect.gen(function*() {
    const path = join(bin!, program)
    const command = owner ? Command.make("runuser", "-u", "postgres", "--", path, ...args) : Command.make(path, ...args)
    const code = yield* Command.exitCode(Command.workingDirectory(command, directory))
    if (code !== 0) return yield* Effect.dieMessage(`${program} ${args.join(" ")} exited with ${code}`)
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

/** A PostgreSQL server of the test's own, initialised and stopped; removed with its files when the scope closes. */
const ownPostgres = Effect.gen(function*() {
  const port = yield* Effect.promise(freePort)
  const directory = mkdtempSync(join(tmpdir(), "errata-pg-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(directory, { recursive: true, force: true })))
  if (owner) chownSync(directory, owner.uid, owner.gid)
  const data = join(directory, "data")
  yield* run(directory, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
  const pgCtl = (...args: Array<string>) => run(directory, "pg_ctl", "-D", data, "-w", ...args)
  const server = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1`
  yield* Effect.addFinalizer(() => Effect.ignore(pgCtl("-m", "immediate", "stop")))
  return {
    url: Redacted.make(`postgres://postgres@127.0.0.1:${port}/postgres`),
    port,
    start: pgCtl("-l", join(directory, "server.log"), "-o", server, "start"),
    stop: pgCtl("-m", "fast", "stop")
  }
})

let requests = 0

/** Sends a request with a request id of its own; gives the answer, its request id, and how long it took. */
const timedSend = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const requestId = `req_fault_${++requests}`
    const [duration, answer] = yield* Effect.timed(
      Testing.send(HttpClientRequest.setHeader(request, "x-request-id", requestId))
    )
    return { ...answer, requestId, millis: Duration.toMillis(duration) }
  })

/**
 * The answer of a request the database failed: the catalog's error, in the service's format (problem-details here;
 * OAuth's own at the token endpoint), with its request id, at once, and without a word of the database's.
 */
const assertDatabaseFailure = (answer: Effect.Effect.Success<ReturnType<typeof timedSend>>, port: number) => {
  const body = JSON.parse(answer.body) as Record<string, unknown>
  const code = body.code ?? body.error
  assert.oneOf(code, ["database_error", "service_unavailable", "server_error"], answer.body)
  assert.strictEqual(answer.status, code === "service_unavailable" ? 503 : 500, answer.body)
  assert.strictEqual(answer.headers["x-request-id"], answer.requestId)
  if (code !== "server_error") assert.strictEqual(answer.headers["content-type"], "application/problem+json")
  assert.isBelow(answer.millis, 5_000, "answered within a few seconds")
  for (const word of ["SELECT", "INSERT", "UPDATE", "ECONNREFUSED", "postgres", "pg_", "timeout", String(port)]) {
    assert.notInclude(answer.body, word)
  }
}

/** Asks again, every quarter of a second up to `seconds`, until `ok`; the last answer otherwise. */
const until = <A, E, R>(ask: Effect.Effect<A, E, R>, ok: (a: A) => boolean, seconds: number) =>
  Effect.gen(function*() {
    let last = yield* ask
    for (let attempt = 0; attempt < seconds * 4 && !ok(last); attempt++) {
      yield* Effect.sleep("250 millis")
      last = yield* ask
    }
    return last
  })

const ready = Effect.map(timedSend(HttpClientRequest.get("/ready")), (answer) => answer.status)

const provision = (email: string) =>
  Effect.flatMap(
    Webhooks.sign(
      json("POST", "/api/webhooks/provisioning", JSON.stringify({ type: "user.created", data: { email, name: "HR" } })),
      Redacted.make(webhookSecret)
    ),
    timedSend
  )

const clientCredentials = {
  grant_type: "client_credentials",
  client_id: admin.clientId,
  client_secret: admin.clientSecret
}

const listUsers = (token: string) => timedSend(HttpClientRequest.get("/api/admin/users").pipe(withToken(token)))

const suspend = (id: string, token: string) =>
  timedSend(json("PUT", `/api/admin/users/${id}/status`, "{\"status\":\"suspended\"}").pipe(withToken(token)))

/** What a caller sees of a service whose database fails: each answer checked, and /ready 503. */
const whileDown = (port: number, token: string | undefined) =>
  Effect.gen(function*() {
    const answers = [
      yield* provision("down@example.com"),
      yield* timedSend(HttpClientRequest.post("/oauth/token").pipe(HttpClientRequest.bodyUrlParams(clientCredentials)))
    ]
    if (token !== undefined) answers.push(yield* listUsers(token))
    for (const answer of answers) assertDatabaseFailure(answer, port)
    assert.strictEqual(yield* ready, 503)
  })

/** Short bounds, for a test that waits on them. */
const options = (url: Redacted.Redacted<string>): Database.PostgresOptions => ({
  url,
  connectTimeout: "1 second",
  statementTimeout: "1 second"
})

/** The service on `database`, in problem-details; gives the means to run a caller's requests against it. */
const serving = (database: Database.PostgresOptions, logs: Array<Testing.LogEntry> = []) =>
  Effect.map(
    Layer.build(service({ database, errata: { format: WireFormat.ProblemDetails } }, logs)),
    (context) => <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) => Effect.provide(effect, context)
  )

/** Another connection's write lock on the database, until the scope closes. */
const lockedBy = (database: Database.PostgresOptions) =>
  holdingWriteLock({ options: database, client: Layer.orDie(Database.client(database)) })

describe.skipIf(skipped !== undefined)("The service on a PostgreSQL that fails", () => {
  it.scopedLive("answers database_error or service_unavailable while it is down, and works again once it is back", () =>
    Effect.gen(function*() {
      const postgres = yield* ownPostgres
      yield* postgres.start
      const database = options(postgres.url)
      const onService = yield* serving(database)
      const token = yield* onService(adminToken())
      const ann = yield* onService(createUser({ email: "ann@example.com", password: "s3cretpass" }))
      assert.strictEqual(yield* onService(ready), 200)

      yield* postgres.stop
      yield* onService(whileDown(postgres.port, token))

      yield* postgres.start
      assert.strictEqual(yield* onService(until(ready, (status) => status === 200, 15)), 200)
      const listed = yield* onService(listUsers(token))
      assert.strictEqual(listed.status, 200, listed.body)
      assert.strictEqual((yield* onService(provision("back@example.com"))).status, 200)

      // A statement that waits on another connection's lock is cancelled at the statement timeout, and answered.
      const waited = yield* Effect.scoped(Effect.zipRight(lockedBy(database), onService(suspend(ann.id, token))))
      assertDatabaseFailure(waited, postgres.port)
      assert.isAtLeast(waited.millis, 900)
      assert.strictEqual((yield* onService(suspend(ann.id, token))).status, 200)
    }), { timeout: 120_000 })

  it.scopedLive("answers when its pool is exhausted: a request waits for a connection up to the connect timeout", () =>
    Effect.gen(function*() {
      const postgres = yield* ownPostgres
      yield* postgres.start
      const database: Database.PostgresOptions = {
        ...options(postgres.url),
        maxConnections: 1,
        statementTimeout: "4 seconds"
      }
      const onService = yield* serving(database)
      const token = yield* onService(adminToken())
      const ann = yield* onService(createUser({ email: "ann@example.com", password: "s3cretpass" }))
      yield* lockedBy(database)
      // The pool's one connection waits on the lock; the next request waits for a connection, and gives up first.
      const waiting = yield* Effect.fork(onService(suspend(ann.id, token)))
      yield* Effect.sleep("300 millis")
      const starved = yield* onService(listUsers(token))
      assertDatabaseFailure(starved, postgres.port)
      assert.strictEqual(starved.status, 503)
      assert.isBelow(starved.millis, 3_000)
      assertDatabaseFailure(yield* Fiber.join(waiting), postgres.port)
    }), { timeout: 120_000 })

  it.scopedLive("starts while its database is down, answers 503 and database_error, and is migrated once up", () =>
    Effect.gen(function*() {
      const postgres = yield* ownPostgres
      const logs: Array<Testing.LogEntry> = []
      const onService = yield* serving(options(postgres.url), logs)
      yield* onService(whileDown(postgres.port, undefined))
      assert.isTrue(logs.some((entry) => entry.message === "database unavailable; answering database_error"))
      assert.isTrue(logs.some((entry) => entry.message === "bootstrap admin client waits for the database"))

      yield* postgres.start
      const issued = yield* onService(until(tokenRequest(clientCredentials), (answer) => answer.status === 200, 20))
      assert.strictEqual(issued.status, 200, issued.body)
      assert.strictEqual(yield* onService(ready), 200)
      yield* onService(createUser({ email: "late@example.com", password: "s3cretpass" }))
      assert.isTrue(logs.some((entry) => entry.message === "database migrated"))
      for (const entry of logs) assert.notInclude(JSON.stringify(entry), "postgres://")
    }), { timeout: 120_000 })
})
