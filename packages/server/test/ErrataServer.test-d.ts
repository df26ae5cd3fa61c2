import type { HttpApi } from "@effect/platform"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { ErrataApi } from "@errata/domain"
import { DatabaseError, EmailAlreadyExists, JobFailed, UserNotFound } from "@errata/domain/Errors"
import type { ErrataConfig } from "@errata/server"
import { ErrataServer } from "@errata/server"
import { Effect, Layer, Schema } from "effect"
import { describe, expectTypeOf, it } from "vitest"

class UsersGroup extends HttpApiGroup.make("users")
  .add(HttpApiEndpoint.get("get", "/users/:id").addSuccess(Schema.String).addError(UserNotFound))
  .add(HttpApiEndpoint.post("create", "/users").addSuccess(Schema.String).addError(EmailAlreadyExists))
  .addError(DatabaseError)
{}

class Api extends ErrataApi.make("api").add(UsersGroup) {}

describe("handler error channels", () => {
  it("a handler may fail with its endpoint's, its group's and the API's declared errors", () => {
    ErrataServer.group(Api, "users", (handlers) =>
      handlers
        .handle("get", () => Effect.fail(new UserNotFound()))
        .handle("create", () => Effect.fail(new DatabaseError())))
  })

  it("failing with an undeclared error does not compile", () => {
    ErrataServer.group(Api, "users", (handlers) =>
      handlers
        // @ts-expect-error EmailAlreadyExists is not declared for users.get
        .handle("get", () => Effect.fail(new EmailAlreadyExists()))
        // @ts-expect-error JobFailed is declared nowhere in the API
        .handle("create", () => Effect.fail(new JobFailed())))
  })
})

describe("ErrataServer.layer", () => {
  const handled = ErrataServer.group(Api, "users", (handlers) =>
    handlers.handle("get", () => Effect.succeed("u")).handle("create", () => Effect.succeed("u")))
  const plain = HttpApiBuilder.group(Api, "users", (handlers) =>
    handlers.handle("get", () => Effect.succeed("u")).handle("create", () => Effect.succeed("u")))

  it("takes the groups of ErrataServer.group, and then needs only its configuration", () => {
    const served = ErrataServer.layer(Api).pipe(Layer.provide(handled))
    expectTypeOf(served).toEqualTypeOf<Layer.Layer<HttpApi.Api, never, ErrataConfig.ErrataConfig>>()
  })

  it("does not take a group of plain HttpApiBuilder.group: the handler mark would be missing", () => {
    const served = ErrataServer.layer(Api).pipe(Layer.provide(plain))
    expectTypeOf(served).not.toEqualTypeOf<Layer.Layer<HttpApi.Api, never, ErrataConfig.ErrataConfig>>()
    // @ts-expect-error the group "users" of "api" is not marked by ErrataServer.group
    const _missing: Layer.Layer<HttpApi.Api, never, ErrataConfig.ErrataConfig> = served
  })
})
