/**
 * The HTTP handlers of the OAuth clients group: administrators only. A new client's secret is generated here and
 * shown once, in the answer to its creation.
 */
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { allScopes, CreatedClient } from "./Client.js"
import { Clients } from "./Clients.js"

const admin = Authentication.requireRole("admin")

export const ClientsHttpLive = ErrataServer.group(AdminApi, "clients", (handlers) =>
  Effect.gen(function*() {
    const clients = yield* Clients
    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          yield* admin
          const secret = Authentication.newSecret("cs_")
          const client = yield* clients.create({
            id: payload.clientId,
            secret,
            name: payload.name,
            scopes: payload.scopes ?? allScopes,
            roles: payload.roles ?? []
          })
          return new CreatedClient({ ...client, clientSecret: secret })
        }))
      .handle("setStatus", ({ path, payload }) => Effect.zipRight(admin, clients.setDisabled(path.id, payload.disabled)))
  }))
