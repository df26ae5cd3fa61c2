/**
 * The HTTP handlers of the token endpoint and of revocation (RFC 6749 §4.3, §4.4, §6; RFC 7009). Every request
 * authenticates its client first, by the form's `client_id` and `client_secret` or by `Authorization: Basic`
 * (`unauthorized_client`, `client_disabled`); a token response is never cached. A database failure is told in
 * OAuth's own words, `server_error` (RFC 6749 §4.1.2.1), which OAuth client libraries know.
 */
import { HttpApp, HttpServerResponse } from "@effect/platform"
import type { HttpServerRequest } from "@effect/platform"
import { DatabaseError, ServerError, UnauthorizedClient } from "@errata/domain/Errors"
import { Authentication, ErrataServer } from "@errata/server"
import type { Redacted } from "effect"
import { Effect, Option } from "effect"
import { Accounts } from "./Accounts.js"
import { AdminApi } from "./Api.js"
import { Clients } from "./Clients.js"
import { narrowScopes } from "./Settings.js"
import { Tokens } from "./Tokens.js"

/** RFC 6749 §5.1: a response with tokens is not to be stored by anything on its way. */
const serverError = new ServerError({ message: "The authorization server could not complete the request; try again later" })

const inOAuthWords = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(effect, (error): error is Extract<E, DatabaseError> => error instanceof DatabaseError, () => Effect.fail(serverError))

const noStore = HttpApp.appendPreResponseHandler((_request, response) =>
  Effect.succeed(HttpServerResponse.setHeaders(response, { "cache-control": "no-store", pragma: "no-cache" }))
)

export const OAuthHttpLive = ErrataServer.group(AdminApi, "oauth", (handlers) =>
  Effect.gen(function*() {
    const clients = yield* Clients
    const tokens = yield* Tokens
    const accounts = yield* Accounts

    /** The client of the request: its credentials in the form, else in `Authorization: Basic` (RFC 6749 §2.3.1). */
    const clientOf = (
      request: HttpServerRequest.HttpServerRequest,
      form: { readonly clientId?: string; readonly clientSecret?: Redacted.Redacted<string> }
    ) =>
      form.clientId !== undefined && form.clientSecret !== undefined
        ? clients.authenticate(form.clientId, form.clientSecret)
        : Option.match(Authentication.basicCredentials(request.headers.authorization), {
          onNone: () => Effect.fail(new UnauthorizedClient({ message: "Client authentication failed" })),
          onSome: ({ password, username }) => clients.authenticate(username, password)
        })

    return handlers
      .handle("token", ({ payload, request }) =>
        Effect.gen(function*() {
          yield* noStore
          const client = yield* clientOf(request, payload)
          switch (payload.grantType) {
            case "client_credentials":
              return yield* tokens.issue({ client, userId: undefined, scopes: narrowScopes(client.scopes, payload.scope) })
            case "password": {
              const account = yield* accounts.login(payload.username, payload.password)
              return yield* tokens.issue({ client, userId: account.id, scopes: narrowScopes(client.scopes, payload.scope) })
            }
            case "refresh_token":
              return yield* tokens.refresh(client, payload.refreshToken, payload.scope)
          }
        }).pipe(inOAuthWords))
      .handle("revoke", ({ payload, request }) =>
        Effect.flatMap(clientOf(request, payload), (client) => tokens.revoke(client, payload.token)).pipe(inOAuthWords))
  }))
