/**
 * The HTTP handler of the provisioning webhook: its signature has been checked before its body was parsed; the
 * event creates a user, or changes the status of the user with its email.
 */
import { ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import type { UserStatus } from "./User.js"
import { Users } from "./Users.js"

const statusOf = {
  "user.suspended": "suspended",
  "user.disabled": "disabled",
  "user.reactivated": "active"
} as const satisfies Record<string, UserStatus>

export const ProvisioningHttpLive = ErrataServer.group(AdminApi, "webhooks", (handlers) =>
  Effect.gen(function*() {
    const users = yield* Users
    return handlers.handle("provisioning", ({ payload }) =>
      payload.type === "user.created"
        ? users.provision(payload.data)
        : Effect.flatMap(users.getByEmail(payload.data.email), (user) => users.setStatus(user.id, statusOf[payload.type])))
  }))
