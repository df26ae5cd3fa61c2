import type { HttpClient } from "@effect/platform"
import type { TransportError } from "@errata/client"
import { ErrataClient } from "@errata/client"
import type { BuiltinFormats, ErrataApi, UnknownApiError } from "@errata/domain"
import type { DatabaseError, UserNotFound } from "@errata/domain/Errors"
import { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import type { User } from "./fixtures/UsersApi.js"
import { UserId, UsersApi } from "./fixtures/UsersApi.js"

describe("client error channels", () => {
  it("a call fails with its declared errors, UnknownApiError and TransportError: no ParseError, no HttpClientError", () => {
    const program = Effect.flatMap(
      ErrataClient.make(UsersApi, { baseUrl: "http://localhost" }),
      (c) => c.users.get({ path: { id: UserId.make("usr_1") } })
    )
    expectTypeOf(program).toEqualTypeOf<
      Effect.Effect<
        User,
        | UserNotFound
        | DatabaseError
        | ErrataApi.FrameworkErrorOf<typeof BuiltinFormats.all>
        | UnknownApiError.UnknownApiError
        | TransportError.TransportError,
        HttpClient.HttpClient
      >
    >()
  })

  it("handling every tag leaves never", () => {
    const handled = Effect.flatMap(
      ErrataClient.make(UsersApi, { baseUrl: "http://localhost" }),
      (c) => c.users.get({ path: { id: UserId.make("usr_1") } })
    ).pipe(
      Effect.catchTags({
        UserNotFound: () => Effect.succeed(null),
        DatabaseError: () => Effect.succeed(null),
        ValidationError: () => Effect.succeed(null),
        ValidationFailed: () => Effect.succeed(null),
        InvalidJson: () => Effect.succeed(null),
        BadRequest: () => Effect.succeed(null),
        PayloadTooLarge: () => Effect.succeed(null),
        UnsupportedMediaType: () => Effect.succeed(null),
        InvalidRequest: () => Effect.succeed(null),
        Conflict: () => Effect.succeed(null),
        UnprocessableEntity: () => Effect.succeed(null),
        RateLimitExceeded: () => Effect.succeed(null),
        InternalError: () => Effect.succeed(null),
        Timeout: () => Effect.succeed(null),
        UnknownApiError: () => Effect.succeed(null),
        TransportError: () => Effect.succeed(null)
      })
    )
    expectTypeOf<Effect.Effect.Error<typeof handled>>().toEqualTypeOf<never>()
  })
})
