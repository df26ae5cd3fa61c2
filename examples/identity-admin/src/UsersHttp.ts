/**
 * The HTTP handlers of the users group: each one's error channel is exactly the errors its endpoint declares. The
 * token's scopes are checked before a handler runs; what the caller's role allows is checked here: an administrator
 * manages users, a member reads only their own record.
 */
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { UserPage } from "./User.js"
import { Users } from "./Users.js"

const admin = Authentication.requireRole("admin")

export const UsersHttpLive = ErrataServer.group(AdminApi, "users", (handlers) =>
  Effect.gen(function*() {
    const users = yield* Users
    return handlers
      .handle("create", ({ payload }) => Effect.zipRight(admin, users.create(payload)))
      .handle("get", ({ path }) =>
        Effect.zipRight(
          Authentication.requireAccess((principal) =>
            principal.roles.includes("admin") || (principal.kind === "user" && principal.subject === path.id)
          ),
          users.get(path.id)
        ))
      .handle("list", ({ urlParams }) => {
        const page = { limit: urlParams.limit ?? 50, offset: urlParams.offset ?? 0 }
        return admin.pipe(Effect.zipRight(users.list(page)), Effect.map((list) => new UserPage({ users: list, ...page })))
      })
      .handle("update", ({ path, payload }) => Effect.zipRight(admin, users.update(path.id, payload)))
      .handle("setStatus", ({ path, payload }) => Effect.zipRight(admin, users.setStatus(path.id, payload.status)))
      .handle("delete", ({ path }) => Effect.zipRight(admin, users.remove(path.id)))
  }))
