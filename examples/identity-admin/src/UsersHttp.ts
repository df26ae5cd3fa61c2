/**
 * The HTTP handlers of the users group: each one's error channel is exactly the errors its endpoint declares. The
 * token's scopes are checked before a handler runs; what the caller's role allows is checked here: an administrator
 * manages users, a member reads only their own record.
 */
import { HttpServerRequest } from "@effect/platform"
import { InvalidParameter } from "@errata/domain/Errors"
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { sortKeys, UserListParams, UserPage, type UserSort } from "./User.js"
import { Users } from "./Users.js"

const admin = Authentication.requireRole("admin")

const knownParameters = new Set(Object.keys(UserListParams.fields))

const unknownParameter = new InvalidParameter({
  message: `Unknown query parameter; this endpoint takes ${Array.from(knownParameters).join(", ")}`
})

/**
 * A query parameter the endpoint does not know is refused rather than ignored: it is a caller's typo or guess. The
 * query is the one the router parsed for the endpoint's own parameters.
 */
const onlyKnownParameters = Effect.flatMap(HttpServerRequest.ParsedSearchParams, (parameters) =>
  Object.keys(parameters).every((name) => knownParameters.has(name)) ? Effect.void : Effect.fail(unknownParameter))

/** `sort=name` or `sort=-name`; the default is the order of creation. */
const sortOf = (sort: string | undefined): Effect.Effect<UserSort, InvalidParameter> => {
  if (sort === undefined) return Effect.succeed({ key: "created_at", descending: false })
  const descending = sort.startsWith("-")
  const key = sortKeys.find((known) => known === (descending ? sort.slice(1) : sort))
  return key === undefined
    ? Effect.fail(new InvalidParameter({ message: `sort must be one of ${sortKeys.join(", ")}, with a leading - for descending order` }))
    : Effect.succeed({ key, descending })
}

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
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          yield* admin
          yield* onlyKnownParameters
          const sort = yield* sortOf(urlParams.sort)
          const page = { limit: urlParams.limit ?? 50, offset: urlParams.offset ?? 0 }
          return new UserPage({ users: yield* users.list({ ...page, sort }), ...page })
        }))
      .handle("update", ({ path, payload }) => Effect.zipRight(admin, users.update(path.id, payload)))
      .handle("setStatus", ({ path, payload }) => Effect.zipRight(admin, users.setStatus(path.id, payload.status)))
      .handle("delete", ({ path }) => Effect.zipRight(admin, users.remove(path.id)))
  }))
