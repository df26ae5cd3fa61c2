/**
 * Several instances of the reference service behind one load balancer: two instances on one PostgreSQL schema and
 * one Redis (a key prefix of this run's own) share everything a caller can see — a rate limit spent on one is spent
 * on the other, an Idempotency-Key used on one is replayed by the other, tokens and sessions revoked or ended
 * through one are refused by the other at once, and a job enqueued through one is run once, by whichever is free.
 */
import type { HttpClient } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Testing } from "@errata/server"
import type { Context } from "effect"
import { Effect, Layer } from "effect"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import { fresh, postgresReachable, postgresUrl, redisReachable, redisUrl, uniqueName } from "./fixtures/Database.js"
import { json } from "./fixtures/Http.js"
import { pollUntil } from "./fixtures/Poll.js"
import { admin, adminToken, createUser, login, service, withToken } from "./fixtures/Service.js"

const skipped = !postgresReachable
  ? `no PostgreSQL answers at ${postgresUrl}`
  : !redisReachable
  ? `no Redis answers at ${redisUrl}`
  : undefined
if (skipped !== undefined) console.log(`Instances skipped: ${skipped}`)

type Instance = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) => Effect.Effect<A, E>

/** Two instances on one new PostgreSQL schema and this run's keys in the Redis, with `options` (`second`: the second's). */
const twoInstances = (options: Partial<IdentityAdmin.Options> = {}, second: Partial<IdentityAdmin.Options> = options) =>
  Effect.gen(function*() {
    const database = (yield* fresh({ kind: "postgres" })).options
    const shared = { database, redisUrl, redisPrefix: `${uniqueName("errata_instances")}:` }
    const instance = (context: Context.Context<HttpClient.HttpClient>): Instance => (effect) =>
      Effect.provide(effect, context)
    // One after the other, as a rolling start would: the first migrates the schema.
    const a = instance(yield* Layer.build(service({ ...shared, ...options })))
    const b = instance(yield* Layer.build(service({ ...shared, ...second })))
    return [a, b] as const
  })

const errorOf = (answer: Testing.Answer) => JSON.parse(answer.body).error as string
const me = (token: string) => Testing.send(HttpClientRequest.get("/api/session").pipe(withToken(token)))

describe.skipIf(skipped !== undefined)("Two instances on one PostgreSQL and one Redis", () => {
  it.scopedLive("share a rate limit: spent on one, it is spent on the other", () =>
    Effect.gen(function*() {
      const [a, b] = yield* twoInstances({ rateLimit: 3 })
      const nowhere = Testing.send(HttpClientRequest.get("/api/nowhere"))
      for (let request = 0; request < 3; request++) assert.strictEqual((yield* a(nowhere)).status, 404)
      const limited = yield* b(nowhere)
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(errorOf(limited), "rate_limit_exceeded")
    }))

  it.scopedLive("share idempotency keys: a request repeated on the other instance is replayed, not done again", () =>
    Effect.gen(function*() {
      const [a, b] = yield* twoInstances()
      const token = yield* a(adminToken())
      const body = JSON.stringify({ email: "ida@example.com", name: "Ida", password: "s3cretpass" })
      const create = json("POST", "/api/admin/users", body).pipe(
        withToken(token),
        HttpClientRequest.setHeader("idempotency-key", "create-ida")
      )
      const first = yield* a(Testing.send(create))
      assert.strictEqual(first.status, 201, first.body)
      const repeated = yield* b(Testing.send(create))
      assert.strictEqual(repeated.status, 201, repeated.body)
      assert.strictEqual(repeated.headers["idempotent-replayed"], "true")
      assert.strictEqual(repeated.body, first.body)
    }))

  it.scopedLive("share tokens and sessions: revoked or ended through one, refused by the other", () =>
    Effect.gen(function*() {
      const [a, b] = yield* twoInstances()
      const token = yield* a(adminToken())
      assert.strictEqual((yield* b(me(token))).status, 200)
      const revoked = yield* a(Testing.send(
        HttpClientRequest.post("/oauth/revoke").pipe(
          HttpClientRequest.bodyUrlParams({ token, client_id: admin.clientId, client_secret: admin.clientSecret })
        )
      ))
      assert.strictEqual(revoked.status, 200)
      assert.strictEqual(errorOf(yield* b(me(token))), "token_revoked")

      yield* a(createUser({ email: "sal@example.com", password: "s3cretpass" }))
      const session = yield* a(login("sal@example.com", "s3cretpass"))
      const inSession = (request: HttpClientRequest.HttpClientRequest) =>
        request.pipe(HttpClientRequest.setHeader("cookie", session.cookie))
      const current = yield* b(Testing.send(inSession(HttpClientRequest.get("/api/session"))))
      assert.strictEqual(current.status, 200, current.body)
      const logout = inSession(HttpClientRequest.del("/api/session")).pipe(
        HttpClientRequest.setHeader("x-csrf-token", session.csrfToken)
      )
      assert.strictEqual((yield* a(Testing.send(logout))).status, 204)
      const ended = yield* b(Testing.send(inSession(HttpClientRequest.get("/api/session"))))
      assert.strictEqual(errorOf(ended), "session_expired")
    }))

  it.scopedLive("share background jobs: enqueued through one instance, run once by the other, seen from both", () =>
    Effect.gen(function*() {
      // The first only queues jobs (no worker); the second runs them.
      const [a, b] = yield* twoInstances({ jobs: { concurrency: 0 } }, {})
      const token = yield* a(adminToken())
      const upload = ["ann@example.com", "ben@example.com"]
        .map((email) => JSON.stringify({ email, name: "Imported", password: "s3cretpass" }))
        .join("\n")
      const created = yield* a(Testing.send(
        json("POST", "/api/admin/jobs/imports", upload, "application/x-ndjson").pipe(withToken(token))
      ))
      assert.strictEqual(created.status, 202, created.body)
      const id = JSON.parse(created.body).id as string
      const read = a(Testing.send(HttpClientRequest.get(`/api/admin/jobs/${id}`).pipe(withToken(token))))
      const done = yield* pollUntil(read, (answer) => JSON.parse(answer.body).status === "succeeded")
      const job = JSON.parse(done.body)
      assert.strictEqual(job.status, "succeeded")
      assert.strictEqual(job.attempts, 1)
      const users = yield* b(Testing.send(HttpClientRequest.get("/api/admin/users").pipe(withToken(token))))
      const emails = (JSON.parse(users.body).users as Array<{ email: string }>).map((user) => user.email)
      assert.includeMembers(emails, ["ann@example.com", "ben@example.com"])
      // Ended, as the other instance sees it too.
      const cancelled = yield* b(Testing.send(HttpClientRequest.post(`/api/admin/jobs/${id}/cancel`).pipe(withToken(token))))
      assert.strictEqual(cancelled.status, 409)
      assert.strictEqual(errorOf(cancelled), "conflict")
    }), { timeout: 30_000 })
})
