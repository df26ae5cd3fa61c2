/**
 * The HTTP handler of the provisioning webhook: its signature has been checked before its body was parsed; the
 * event creates a user, or changes the status of the user with its email.
 */
import { SqlClient } from "@effect/sql"
import type { DatabaseError, EmailAlreadyExists, InvalidEmail, UserNotFound } from "@errata/domain/Errors"
import { ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { unavailableWhenDown } from "./Sql.js"
import type { User, UserStatus } from "./User.js"
import { Users } from "./Users.js"

const statusOf = {
  "user.suspended": "suspended",
  "user.disabled": "disabled",
  "user.reactivated": "active"
} as const satisfies Record<string, UserStatus>

export const ProvisioningHttpLive = ErrataServer.group(AdminApi, "webhooks", (handlers) =>
  Effect.gen(function*() {
    const users = yield* Users
    const sql = yield* SqlClient.SqlClient
    return handlers.handle("provisioning", ({ payload }) =>
      unavailableWhenDown(sql)<User, EmailAlreadyExists | InvalidEmail | UserNotFound | DatabaseError, never>(
        payload.type === "user.created"
          ? users.provision(payload.data)
          : Effect.flatMap(users.getByEmail(payload.data.email), (user) => users.setStatus(user.id, statusOf[payload.type]))
      ))
  }))
