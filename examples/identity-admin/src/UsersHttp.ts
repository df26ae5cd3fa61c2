/**
 * The HTTP handlers of the users group: each one's error channel is exactly the errors its endpoint declares.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder } from "@effect/platform"
import { AdminApi, UserPage } from "@errata/domain"
import { Effect, Layer } from "effect"
import * as ErrataServer from "../ErrataServer.js"
import { Users } from "./Users.js"
import type { UsersRepository } from "./UsersRepository.js"

/**
 * @since 0.1.0
 */
export const UsersHttpLive = ErrataServer.group(AdminApi, "users", (handlers) =>
  Effect.gen(function*() {
    const users = yield* Users
    return handlers
      .handle("create", ({ payload }) => users.create(payload))
      .handle("get", ({ path }) => users.get(path.id))
      .handle("list", ({ urlParams }) => {
        const page = { limit: urlParams.limit ?? 50, offset: urlParams.offset ?? 0 }
        return Effect.map(users.list(page), (list) => new UserPage({ users: list, ...page }))
      })
      .handle("update", ({ path, payload }) => users.update(path.id, payload))
      .handle("delete", ({ path }) => users.remove(path.id))
  }))

/**
 * The reference API's handlers on a users repository, without the Errata middleware.
 *
 * @since 0.1.0
 */
export const AdminApiLive = (repository: Layer.Layer<UsersRepository>) =>
  HttpApiBuilder.api(AdminApi).pipe(
    Layer.provide(UsersHttpLive),
    Layer.provide(Users.Default),
    Layer.provide(repository)
  )
