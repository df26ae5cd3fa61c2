/**
 * A user's status, set by an administrator (`PUT /api/admin/users/{id}/status`), as the security checks enforce it:
 * suspended, locked and disabled are each refused — a token issued before, and a new login — and `active` lifts
 * each of them, the lock after failed logins too.
 */
import { assert, describe, it } from "@effect/vitest"
import type { CatalogError } from "@errata/domain"
import { AccountDisabled, UserLocked, UserNotFound, UserSuspended } from "@errata/domain/Errors"
import { Effect, TestClock } from "effect"
import type { UserId, UserStatus } from "../src/User.js"
import { recording, refused } from "./fixtures/Recording.js"
import { admin, adminToken, createUser, service, tokenRequest, userTokens } from "./fixtures/Service.js"

const login = (email: string, password = "s3cretpass") =>
  Effect.map(
    tokenRequest({
      grant_type: "password",
      client_id: admin.clientId,
      client_secret: admin.clientSecret,
      username: email,
      password
    }),
    (answer) => ({ status: answer.status, error: JSON.parse(answer.body).error as string | undefined })
  )

/** A login with a wrong password, answered `invalid_credentials`. */
const wrongPassword = (email: string) =>
  Effect.map(login(email, "wrong-pass1"), (answer) => assert.strictEqual(answer.error, "invalid_credentials"))

const refusals: ReadonlyArray<readonly [UserStatus, CatalogError.AnyClass]> = [
  ["suspended", UserSuspended],
  ["locked", UserLocked],
  ["disabled", AccountDisabled]
]

describe("User status", () => {
  it.effect("suspended, locked and disabled are each refused by the security checks, and reversed by active", () =>
    Effect.gen(function*() {
      const administrator = yield* Effect.flatMap(adminToken(), recording)
      const user = yield* createUser({ email: "sam@example.com", password: "s3cretpass" })
      const id = user.id as UserId
      const sam = yield* recording((yield* userTokens(user.email, "s3cretpass")).access_token)
      for (const [status, refusal] of refusals) {
        const set = yield* administrator.client.users.setStatus({ path: { id }, payload: { status } })
        assert.strictEqual(set.status, status)
        yield* refused(sam.client.session.current(), refusal, sam.status)
        assert.deepStrictEqual(yield* login(user.email), { status: 403, error: refusal.metadata.code })

        const active = yield* administrator.client.users.setStatus({ path: { id }, payload: { status: "active" } })
        assert.strictEqual(active.status, "active")
        assert.strictEqual((yield* sam.client.session.current()).subject, id)
        assert.strictEqual((yield* login(user.email)).status, 200)
      }
      yield* refused(
        administrator.client.users.setStatus({ path: { id: "usr_nobody" as UserId }, payload: { status: "locked" } }),
        UserNotFound,
        administrator.status
      )
    }).pipe(Effect.provide(service())), { timeout: 30_000 })

  it.effect("a lock set by an administrator lasts until it is lifted, unlike the lock after failed logins", () =>
    Effect.gen(function*() {
      const administrator = yield* Effect.flatMap(adminToken(), recording)
      const user = yield* createUser({ email: "lee@example.com", password: "s3cretpass" })
      yield* administrator.client.users.setStatus({ path: { id: user.id as UserId }, payload: { status: "locked" } })
      yield* TestClock.adjust("1 day")
      assert.deepStrictEqual(yield* login(user.email), { status: 403, error: "user_locked" })
      const later = yield* Effect.flatMap(adminToken(), recording)
      assert.strictEqual((yield* later.client.users.get({ path: { id: user.id as UserId } })).status, "locked")
    }).pipe(Effect.provide(service())))

  it.effect("active unlocks the lock after failed logins at once, and starts the count of failures again", () =>
    Effect.gen(function*() {
      const administrator = yield* Effect.flatMap(adminToken(), recording)
      const user = yield* createUser({ email: "lou@example.com", password: "s3cretpass" })
      const id = user.id as UserId
      for (let i = 0; i < 5; i++) yield* wrongPassword(user.email)
      assert.deepStrictEqual(yield* login(user.email), { status: 403, error: "user_locked" })
      assert.strictEqual((yield* administrator.client.users.get({ path: { id } })).status, "locked")

      yield* administrator.client.users.setStatus({ path: { id }, payload: { status: "active" } })
      assert.strictEqual((yield* login(user.email)).status, 200)

      // Four failures, an unlock, four more: the count started again, and the account is not locked.
      for (let i = 0; i < 4; i++) yield* wrongPassword(user.email)
      yield* administrator.client.users.setStatus({ path: { id }, payload: { status: "active" } })
      for (let i = 0; i < 4; i++) yield* wrongPassword(user.email)
      assert.strictEqual((yield* login(user.email)).status, 200)
    }).pipe(Effect.provide(service())), { timeout: 30_000 })
})
