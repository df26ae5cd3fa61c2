/**
 * `Credentials`, the client's token source, against the reference service's token endpoint: one token request for
 * many concurrent calls, renewal before expiry and on `token_expired` / `invalid_token`, refresh-token rotation, and
 * no retry where new credentials cannot help.
 */
import { HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import { Credentials, ErrataClient } from "@errata/client"
import { InvalidCredentials, TokenRevoked } from "@errata/domain/Errors"
import { Testing } from "@errata/server"
import { Effect, Redacted, TestClock } from "effect"
import { AdminApi } from "../src/Api.js"
import { Login } from "../src/Session.js"
import { failsWith } from "./fixtures/Client.js"
import { fresh } from "./fixtures/Database.js"
import { admin, createUser, service, userTokens } from "./fixtures/Service.js"

const grant = {
  type: "client_credentials",
  clientId: admin.clientId,
  clientSecret: Redacted.make(admin.clientSecret)
} as const

/** The service on a database this test can also read, and what the test reads there. */
const withService = <A, E, R>(test: (database: { readonly count: (query: string) => Effect.Effect<number> }) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const database = yield* fresh()
    const count = (query: string) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<{ n: number }>(query)).pipe(
        Effect.map((rows) => Number(rows[0]?.n ?? 0)),
        Effect.provide(database.client),
        Effect.orDie
      )
    return yield* test({ count }).pipe(Effect.provide(service({ database: database.options })))
  }).pipe(Effect.scoped)

const accessTokens = "SELECT COUNT(*) AS n FROM tokens WHERE kind = 'access'"

describe("Credentials", () => {
  it.effect("gets one token for many concurrent calls, and uses it until shortly before it expires", () =>
    withService(({ count }) =>
      Effect.gen(function*() {
        const credentials = yield* Credentials.make({ baseUrl: "", grant })
        const client = yield* ErrataClient.make(AdminApi, { baseUrl: "", credentials, retry: false })
        const principals = yield* Effect.all(Array.from({ length: 20 }, () => client.session.current()), {
          concurrency: "unbounded"
        })
        assert.deepStrictEqual(new Set(principals.map((principal) => principal.subject)), new Set([admin.clientId]))
        assert.strictEqual(yield* count(accessTokens), 1)
        yield* TestClock.adjust("59 minutes")
        yield* client.session.current()
        assert.strictEqual(yield* count(accessTokens), 1)
        // 30 seconds before it expires (the default), the token is renewed before it is sent.
        yield* TestClock.adjust("30 seconds")
        yield* client.session.current()
        assert.strictEqual(yield* count(accessTokens), 2)
      })
    ))

  it.effect("renews the token when the service answers token_expired or invalid_token, and replays the call", () =>
    withService(({ count }) =>
      Effect.gen(function*() {
        const credentials = yield* Credentials.make({ baseUrl: "", grant, renewBefore: "0 seconds" })
        const client = yield* ErrataClient.make(AdminApi, { baseUrl: "", credentials, retry: false })
        yield* client.session.current()
        yield* TestClock.adjust("60 minutes")
        // The token expired on the service's clock before the source renewed it: token_expired, renewed, replayed.
        assert.strictEqual((yield* client.session.current()).subject, admin.clientId)
        assert.strictEqual(yield* count(accessTokens), 2)
        // Tokens the service no longer knows (its token table emptied): invalid_token, renewed, replayed.
        yield* count("DELETE FROM tokens RETURNING 1 AS n")
        assert.strictEqual((yield* client.session.current()).subject, admin.clientId)
        assert.strictEqual(yield* count(accessTokens), 1)
      })
    ))

  it.effect("does not renew after token_revoked, nor retry invalid_credentials", () =>
    withService(({ count }) =>
      Effect.gen(function*() {
        yield* createUser({ email: "val@example.com", password: "s3cretpass" })
        const credentials = yield* Credentials.make({ baseUrl: "", grant })
        const client = yield* ErrataClient.make(AdminApi, { baseUrl: "", credentials })
        const token = yield* credentials.token
        const issued = yield* count(accessTokens)
        const revoked = yield* Testing.send(
          HttpClientRequest.post("/oauth/revoke").pipe(
            HttpClientRequest.bodyUrlParams({ token: Redacted.value(token), client_id: admin.clientId, client_secret: admin.clientSecret })
          )
        )
        assert.strictEqual(revoked.status, 200)
        yield* failsWith(client.session.current(), TokenRevoked)
        assert.strictEqual(yield* count(accessTokens), issued)

        const login = new Login({ email: "val@example.com", password: Redacted.make("wrong-pass1") })
        yield* failsWith(client.session.login({ payload: login }), InvalidCredentials)
        // One attempt, counted once, and no token renewed for it.
        assert.strictEqual(yield* count("SELECT failed_logins AS n FROM users WHERE email = 'val@example.com'"), 1)
        assert.strictEqual(yield* count(accessTokens), issued)
      })
    ))

  it.effect("rotates a refresh token: each renewal uses the last one the service issued", () =>
    withService(({ count }) =>
      Effect.gen(function*() {
        yield* createUser({ email: "ray@example.com", password: "s3cretpass" })
        const issued = yield* userTokens("ray@example.com", "s3cretpass")
        const credentials = yield* Credentials.make({
          baseUrl: "",
          grant: { ...grant, type: "refresh_token", refreshToken: Redacted.make(issued.refresh_token!) }
        })
        const client = yield* ErrataClient.make(AdminApi, { baseUrl: "", credentials, retry: false })
        for (let renewal = 0; renewal < 3; renewal++) {
          const principal = yield* client.session.current()
          assert.strictEqual(principal.kind, "user")
          yield* TestClock.adjust("61 minutes")
        }
        // The user's first token, then one per call an hour apart; a reused refresh token would have revoked them all.
        assert.strictEqual(yield* count(`${accessTokens} AND user_id IS NOT NULL AND revoked_at IS NULL`), 4)
      })
    ))
})

