/**
 * The HTTP handlers of the token endpoint and of revocation (RFC 6749 §4.3, §4.4, §6; RFC 7009). Every request
 * authenticates its client first (`unauthorized_client`, `client_disabled`); a token response is never cached.
 */
import { HttpApp, HttpServerResponse } from "@effect/platform"
import { ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { Accounts } from "./Accounts.js"
import { AdminApi } from "./Api.js"
import { Clients } from "./Clients.js"
import { narrowScopes } from "./Settings.js"
import { Tokens } from "./Tokens.js"

/** RFC 6749 §5.1: a response with tokens is not to be stored by anything on its way. */
const noStore = HttpApp.appendPreResponseHandler((_request, response) =>
  Effect.succeed(HttpServerResponse.setHeaders(response, { "cache-control": "no-store", pragma: "no-cache" }))
)

export const OAuthHttpLive = ErrataServer.group(AdminApi, "oauth", (handlers) =>
  Effect.gen(function*() {
    const clients = yield* Clients
    const tokens = yield* Tokens
    const accounts = yield* Accounts
    return handlers
      .handle("token", ({ payload }) =>
        Effect.gen(function*() {
          yield* noStore
          const client = yield* clients.authenticate(payload.clientId, payload.clientSecret)
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
        }))
      .handle("revoke", ({ payload }) =>
        Effect.flatMap(clients.authenticate(payload.clientId, payload.clientSecret), (client) =>
          tokens.revoke(client, payload.token)))
  }))
