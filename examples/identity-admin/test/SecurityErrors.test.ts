/**
 * Each of the sixteen errors about who is calling, produced by a real request to the reference service and decoded
 * by the real client as its own class, in every built-in wire format.
 */
import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, OAuth } from "@errata/domain"
import {
  AccessDenied,
  AccountDisabled,
  ClientDisabled,
  CsrfValidationFailed,
  Forbidden,
  InsufficientScope,
  InvalidCredentials,
  InvalidSignature,
  InvalidToken,
  SessionExpired,
  TokenExpired,
  TokenRevoked,
  Unauthorized,
  UnauthorizedClient,
  UserLocked,
  UserSuspended
} from "@errata/domain/Errors"
import { Effect, Redacted, TestClock } from "effect"
import { CreateClient } from "../src/Client.js"
import { UserCreated, UserStatusChanged } from "../src/Provisioning.js"
import { CreateUser, SetUserStatus } from "../src/User.js"
import { clientWith, failsWith, signing, withBearer } from "./fixtures/Client.js"
import { admin, adminToken, login, service, tokens, userTokens } from "./fixtures/Service.js"

const password = Redacted.make("s3cretpass")
const adminCredentials = { clientId: admin.clientId, clientSecret: Redacted.make(admin.clientSecret) }

const passwordGrant = (email: string, secret: string) =>
  new OAuth.PasswordGrant({ grantType: "password", ...adminCredentials, username: email, password: Redacted.make(secret) })

describe("The sixteen errors of who is calling, over HTTP, decoded by the client", () => {
  for (const format of BuiltinFormats.all) {
    // Under the test clock: the server's and the client's time move only when the test says.
    it.effect(`each as its own class, in ${format.name}`, () =>
      Effect.gen(function*() {
        const anonymous = yield* clientWith()
        const administrator = yield* withBearer(yield* adminToken())
        const newUser = (email: string) =>
          administrator.users.create({ payload: new CreateUser({ email, name: "Test user", password }) })
        const tokenOf = (email: string) => Effect.map(userTokens(email, "s3cretpass"), (issued) => issued.access_token)
        const mia = yield* newUser("mia@example.com")
        const other = yield* newUser("oli@example.com")
        const miaToken = yield* tokenOf(mia.email)
        const asMia = yield* withBearer(miaToken)

        // 401 unauthorized: no credentials at all.
        yield* failsWith(anonymous.users.list({ urlParams: {} }), Unauthorized)
        // 401 unauthorized_client: a wrong client secret at the token endpoint.
        yield* failsWith(
          anonymous.oauth.token({
            payload: new OAuth.ClientCredentialsGrant({
              grantType: "client_credentials",
              clientId: admin.clientId,
              clientSecret: Redacted.make("not-the-secret")
            })
          }),
          UnauthorizedClient
        )
        // 401 invalid_token: a token the service never issued.
        yield* failsWith((yield* withBearer("at_never_issued")).users.list({ urlParams: {} }), InvalidToken)
        // 401 token_revoked: a token revoked at /oauth/revoke (RFC 7009).
        const revoked = yield* adminToken()
        yield* anonymous.oauth.revoke({
          payload: new OAuth.RevokeRequest({ token: Redacted.make(revoked), ...adminCredentials })
        })
        yield* failsWith((yield* withBearer(revoked)).users.list({ urlParams: {} }), TokenRevoked)
        // 401 invalid_credentials: a wrong password in the password grant.
        yield* failsWith(anonymous.oauth.token({ payload: passwordGrant(other.email, "wrong-password1") }), InvalidCredentials)
        // 401 invalid_signature: a provisioning webhook without a valid signature.
        const event = new UserCreated({ type: "user.created", data: { email: "hr@example.com", name: "From HR" } })
        yield* failsWith(anonymous.webhooks.provisioning({ payload: event }), InvalidSignature)
        yield* failsWith((yield* signing("whsec_wrong")).webhooks.provisioning({ payload: event }), InvalidSignature)
        // 403 forbidden: a member's token on an administrators' endpoint.
        yield* failsWith(asMia.users.list({ urlParams: {} }), Forbidden)
        // 403 access_denied: a member reading another user's record (their own is theirs to read).
        assert.strictEqual((yield* asMia.users.get({ path: { id: mia.id } })).id, mia.id)
        yield* failsWith(asMia.users.get({ path: { id: other.id } }), AccessDenied)
        // 403 csrf_validation_failed: a session's unsafe request without its CSRF token.
        const session = yield* login(mia.email, "s3cretpass")
        const inSession = yield* clientWith({ cookie: session.cookie })
        assert.strictEqual((yield* inSession.session.current()).subject, mia.id)
        yield* failsWith(inSession.session.logout(), CsrfValidationFailed)
        // 403 insufficient_scope: a token without the endpoint's scope, which is named.
        const readOnly = yield* withBearer(yield* adminToken("users:read"))
        const missing = yield* failsWith(newUserWith(readOnly, "ina@example.com"), InsufficientScope)
        assert.strictEqual(missing.requiredScope, "users:write")
        // 403 account_disabled: a token whose user has been disabled since.
        const dan = yield* newUser("dan@example.com")
        const asDan = yield* withBearer(yield* tokenOf(dan.email))
        yield* administrator.users.setStatus({ path: { id: dan.id }, payload: new SetUserStatus({ status: "disabled" }) })
        yield* failsWith(asDan.session.current(), AccountDisabled)
        // 403 user_suspended: a token whose user the HR system suspended (signed provisioning webhook).
        const sue = yield* newUser("sue@example.com")
        const asSue = yield* withBearer(yield* tokenOf(sue.email))
        yield* (yield* signing()).webhooks.provisioning({
          payload: new UserStatusChanged({ type: "user.suspended", data: { email: sue.email } })
        })
        yield* failsWith(asSue.session.current(), UserSuspended)
        // 403 user_locked: five wrong passwords lock the account; the right one is then refused too, and so is
        // a token issued before.
        const leo = yield* newUser("leo@example.com")
        const asLeo = yield* withBearer(yield* tokenOf(leo.email))
        for (let attempt = 0; attempt < 5; attempt++) {
          yield* failsWith(anonymous.oauth.token({ payload: passwordGrant(leo.email, "wrong-password1") }), InvalidCredentials)
        }
        yield* failsWith(anonymous.oauth.token({ payload: passwordGrant(leo.email, "s3cretpass") }), UserLocked)
        yield* failsWith(asLeo.session.current(), UserLocked)
        // 403 client_disabled: a client disabled by an administrator, at the token endpoint and with its tokens.
        const partner = yield* administrator.clients.create({ payload: new CreateClient({ clientId: "partner", name: "Partner" }) })
        const partnerForm = {
          grant_type: "client_credentials",
          client_id: partner.clientId,
          client_secret: Redacted.value(partner.clientSecret)
        }
        const asPartner = yield* withBearer((yield* tokens(partnerForm)).access_token)
        yield* administrator.clients.setStatus({ path: { id: partner.clientId }, payload: { disabled: true } })
        yield* failsWith(asPartner.session.current(), ClientDisabled)
        yield* failsWith(
          anonymous.oauth.token({
            payload: new OAuth.ClientCredentialsGrant({
              grantType: "client_credentials",
              clientId: partner.clientId,
              clientSecret: partner.clientSecret
            })
          }),
          ClientDisabled
        )
        // 401 token_expired and session_expired: an hour and a half later, by the clock.
        const fresh = yield* withBearer(yield* tokenOf(other.email))
        const later = yield* clientWith({ cookie: (yield* login(other.email, "s3cretpass")).cookie })
        yield* TestClock.adjust("90 minutes")
        yield* failsWith(fresh.session.current(), TokenExpired)
        yield* failsWith(later.session.current(), SessionExpired)
      }).pipe(Effect.provide(service({ errata: { format, alternatives: [] } }))), { timeout: 60_000 })
  }
})

const newUserWith = (
  client: Effect.Effect.Success<ReturnType<typeof withBearer>>,
  email: string
) => client.users.create({ payload: new CreateUser({ email, name: "Test user", password }) })

