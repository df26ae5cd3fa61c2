import { Effect, Match } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import type { Catalog, EmailAlreadyExists, UnknownApiError } from "@errata/domain"
import { InternalError, UserNotFound, WireFormat } from "@errata/domain"

declare const findOrCreate: Effect.Effect<string, UserNotFound | EmailAlreadyExists>

describe("handling catalog errors", () => {
  it("catchTags for every error leaves never in the error channel", () => {
    const handled = findOrCreate.pipe(Effect.catchTags({
      UserNotFound: (e) => Effect.succeed(`no user ${e.userId ?? "?"}`),
      EmailAlreadyExists: (e) => Effect.succeed(`taken: ${e.email ?? "?"}`)
    }))
    expectTypeOf(handled).toEqualTypeOf<Effect.Effect<string>>()
  })

  it("leaving one out is visible in the type", () => {
    const partial = findOrCreate.pipe(Effect.catchTags({
      UserNotFound: () => Effect.succeed("created")
    }))
    expectTypeOf(partial).toEqualTypeOf<Effect.Effect<string, EmailAlreadyExists>>()
  })

  it("a tag that the effect cannot fail with is rejected", () => {
    findOrCreate.pipe(Effect.catchTags({
      UserNotFound: () => Effect.succeed("a"),
      // @ts-expect-error InternalError is not in the error channel
      InternalError: () => Effect.succeed("b")
    }))
  })

  it("the classes carry their metadata as literal types", () => {
    expectTypeOf(UserNotFound.metadata.code).toEqualTypeOf<"user_not_found">()
    expectTypeOf(new UserNotFound()._tag).toEqualTypeOf<"UserNotFound">()
    expectTypeOf(new InternalError()).not.toEqualTypeOf<UserNotFound>()
  })

  it("decoding gives the catalog union or UnknownApiError", () => {
    expectTypeOf(WireFormat.OAuthDetails.decode({ status: 404 })).toEqualTypeOf<
      Catalog.BuiltinError | UnknownApiError
    >()
  })
})

describe("exhaustive matching over the catalog", () => {
  it("a Match with a case for each of the 51 errors compiles", () => {
    const toMessage = Match.type<Catalog.SeedError>().pipe(Match.tagsExhaustive({
      BadRequest: (e) => e.message,
      ValidationFailed: (e) => e.message,
      InvalidParameter: (e) => e.message,
      InvalidRequest: (e) => e.message,
      InvalidJson: (e) => e.message,
      FlowInactive: (e) => e.message,
      JobCancelled: (e) => e.message,
      UnauthorizedClient: (e) => e.message,
      InvalidToken: (e) => e.message,
      TokenExpired: (e) => e.message,
      Unauthorized: (e) => e.message,
      InvalidCredentials: (e) => e.message,
      SessionExpired: (e) => e.message,
      InvalidSignature: (e) => e.message,
      TokenRevoked: (e) => e.message,
      Forbidden: (e) => e.message,
      AccessDenied: (e) => e.message,
      CsrfValidationFailed: (e) => e.message,
      AccountDisabled: (e) => e.message,
      InsufficientScope: (e) => e.message,
      UserSuspended: (e) => e.message,
      UserLocked: (e) => e.message,
      ClientDisabled: (e) => e.message,
      NotFound: (e) => e.message,
      ResourceNotFound: (e) => e.message,
      UserNotFound: (e) => e.message,
      ClientNotFound: (e) => e.message,
      OrganizationNotFound: (e) => e.message,
      RoleNotFound: (e) => e.message,
      PolicyNotFound: (e) => e.message,
      FlowNotFound: (e) => e.message,
      JobNotFound: (e) => e.message,
      Conflict: (e) => e.message,
      DuplicateName: (e) => e.message,
      EmailAlreadyExists: (e) => e.message,
      ClientIdAlreadyExists: (e) => e.message,
      RoleAlreadyAssigned: (e) => e.message,
      UnprocessableEntity: (e) => e.message,
      ValidationError: (e) => e.message,
      InvalidEmail: (e) => e.message,
      InvalidPassword: (e) => e.message,
      ImportFailed: (e) => e.message,
      RateLimitExceeded: (e) => e.message,
      InternalError: (e) => e.message,
      ServerError: (e) => e.message,
      DatabaseError: (e) => e.message,
      JobFailed: (e) => e.message,
      ExportFailed: (e) => e.message,
      BadGateway: (e) => e.message,
      ServiceUnavailable: (e) => e.message,
      Timeout: (e) => e.message,
    }))
    expectTypeOf(toMessage).returns.toEqualTypeOf<string>()
  })

  it("a Match missing a case fails to compile", () => {
    Match.type<Catalog.SeedError>().pipe(
      // @ts-expect-error Timeout has no case
      Match.tagsExhaustive({
        BadRequest: (e) => e.message,
        ValidationFailed: (e) => e.message,
        InvalidParameter: (e) => e.message,
        InvalidRequest: (e) => e.message,
        InvalidJson: (e) => e.message,
        FlowInactive: (e) => e.message,
        JobCancelled: (e) => e.message,
        UnauthorizedClient: (e) => e.message,
        InvalidToken: (e) => e.message,
        TokenExpired: (e) => e.message,
        Unauthorized: (e) => e.message,
        InvalidCredentials: (e) => e.message,
        SessionExpired: (e) => e.message,
        InvalidSignature: (e) => e.message,
        TokenRevoked: (e) => e.message,
        Forbidden: (e) => e.message,
        AccessDenied: (e) => e.message,
        CsrfValidationFailed: (e) => e.message,
        AccountDisabled: (e) => e.message,
        InsufficientScope: (e) => e.message,
        UserSuspended: (e) => e.message,
        UserLocked: (e) => e.message,
        ClientDisabled: (e) => e.message,
        NotFound: (e) => e.message,
        ResourceNotFound: (e) => e.message,
        UserNotFound: (e) => e.message,
        ClientNotFound: (e) => e.message,
        OrganizationNotFound: (e) => e.message,
        RoleNotFound: (e) => e.message,
        PolicyNotFound: (e) => e.message,
        FlowNotFound: (e) => e.message,
        JobNotFound: (e) => e.message,
        Conflict: (e) => e.message,
        DuplicateName: (e) => e.message,
        EmailAlreadyExists: (e) => e.message,
        ClientIdAlreadyExists: (e) => e.message,
        RoleAlreadyAssigned: (e) => e.message,
        UnprocessableEntity: (e) => e.message,
        ValidationError: (e) => e.message,
        InvalidEmail: (e) => e.message,
        InvalidPassword: (e) => e.message,
        ImportFailed: (e) => e.message,
        RateLimitExceeded: (e) => e.message,
        InternalError: (e) => e.message,
        ServerError: (e) => e.message,
        DatabaseError: (e) => e.message,
        JobFailed: (e) => e.message,
        ExportFailed: (e) => e.message,
        BadGateway: (e) => e.message,
        ServiceUnavailable: (e) => e.message,
      })
    )
    Match.type<Catalog.SeedError>().pipe(
      Match.tag("UserNotFound", () => 404),
      // @ts-expect-error 50 errors have no case
      Match.exhaustive
    )
  })
})
