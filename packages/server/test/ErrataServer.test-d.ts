import type { User } from "@errata/domain"
import { AdminApi, DatabaseError, EmailAlreadyExists, JobFailed, UserNotFound } from "@errata/domain"
import { ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"

declare const user: User

describe("handler error channels", () => {
  it("a handler may fail with its endpoint's, its group's and the API's declared errors", () => {
    ErrataServer.group(AdminApi, "users", (handlers) =>
      handlers
        .handle("get", () => Effect.fail(new UserNotFound()))
        .handle("create", () => Effect.fail(new EmailAlreadyExists()))
        .handle("update", () => Effect.fail(new DatabaseError()))
        .handle("list", () => Effect.die("unreachable"))
        .handle("delete", () => Effect.void))
  })

  it("failing with an undeclared error does not compile", () => {
    ErrataServer.group(AdminApi, "users", (handlers) =>
      handlers
        // @ts-expect-error EmailAlreadyExists is not declared for users.get
        .handle("get", () => Effect.fail(new EmailAlreadyExists()))
        // @ts-expect-error JobFailed is declared nowhere in AdminApi
        .handle("create", () => Effect.fail(new JobFailed()))
        .handle("update", () => Effect.succeed(user))
        .handle("list", () => Effect.die("unreachable"))
        .handle("delete", () => Effect.void))
  })

  it("group has the type of HttpApiBuilder.group", () => {
    expectTypeOf(ErrataServer.group).toEqualTypeOf<typeof import("@effect/platform").HttpApiBuilder.group>()
  })
})
