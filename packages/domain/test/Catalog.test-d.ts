import type { HttpApi } from "@effect/platform"
import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import type { Catalog, UnknownApiError } from "@errata/domain"
import { ErrataApi, GoogleRpc, WireFormat } from "@errata/domain"
import type {
  BadRequest,
  Conflict,
  EmailAlreadyExists,
  InternalError,
  InvalidJson,
  InvalidRequest,
  RateLimitExceeded,
  Timeout,
  UnprocessableEntity,
  ValidationError,
  ValidationFailed
} from "@errata/domain/Errors"
import { UserNotFound } from "@errata/domain/Errors"
import type { PayloadTooLarge, UnsupportedMediaType } from "@errata/domain/FrameworkErrors"
import { Effect, Match } from "effect"
import { describe, expectTypeOf, it } from "vitest"

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
    expectTypeOf<InternalError>().not.toEqualTypeOf<UserNotFound>()
  })

  it("decoding gives the catalog union or UnknownApiError", () => {
    expectTypeOf(WireFormat.OAuthDetails.decode({ status: 404 })).toEqualTypeOf<
      Catalog.BuiltinError | UnknownApiError.UnknownApiError
    >()
  })
})

describe("ErrataApi.make", () => {
  class Group extends HttpApiGroup.make("g").add(HttpApiEndpoint.get("get", "/x").addError(UserNotFound)) {}

  it("declares the framework errors of the built-in formats by default", () => {
    class Api extends ErrataApi.make("api").add(Group) {}
    type ApiError = typeof Api extends HttpApi.HttpApi<any, any, infer E, any> ? E : never
    expectTypeOf<ApiError>().toEqualTypeOf<
      | ValidationError
      | ValidationFailed
      | InvalidJson
      | BadRequest
      | PayloadTooLarge
      | UnsupportedMediaType
      | InvalidRequest
      | Conflict
      | UnprocessableEntity
      | RateLimitExceeded
      | InternalError
      | Timeout
    >()
  })

  it("declares only the classes of the formats given", () => {
    const api = ErrataApi.make("api", { formats: [GoogleRpc.format] })
    type ApiError = typeof api extends HttpApi.HttpApi<any, any, infer E, any> ? E : never
    expectTypeOf<ApiError>().toEqualTypeOf<
      | ValidationFailed
      | InvalidJson
      | PayloadTooLarge
      | UnsupportedMediaType
      | InvalidRequest
      | Conflict
      | UnprocessableEntity
      | RateLimitExceeded
      | InternalError
      | Timeout
    >()
  })
})

/** A case for each seed error. */
const everyCase = {
  BadRequest: (e: Extract<Catalog.SeedError, { _tag: "BadRequest" }>) => e.message,
  ValidationFailed: (e: Extract<Catalog.SeedError, { _tag: "ValidationFailed" }>) => e.message,
  InvalidParameter: (e: Extract<Catalog.SeedError, { _tag: "InvalidParameter" }>) => e.message,
  InvalidRequest: (e: Extract<Catalog.SeedError, { _tag: "InvalidRequest" }>) => e.message,
  InvalidJson: (e: Extract<Catalog.SeedError, { _tag: "InvalidJson" }>) => e.message,
  FlowInactive: (e: Extract<Catalog.SeedError, { _tag: "FlowInactive" }>) => e.message,
  JobCancelled: (e: Extract<Catalog.SeedError, { _tag: "JobCancelled" }>) => e.message,
  UnauthorizedClient: (e: Extract<Catalog.SeedError, { _tag: "UnauthorizedClient" }>) => e.message,
  InvalidToken: (e: Extract<Catalog.SeedError, { _tag: "InvalidToken" }>) => e.message,
  TokenExpired: (e: Extract<Catalog.SeedError, { _tag: "TokenExpired" }>) => e.message,
  Unauthorized: (e: Extract<Catalog.SeedError, { _tag: "Unauthorized" }>) => e.message,
  InvalidCredentials: (e: Extract<Catalog.SeedError, { _tag: "InvalidCredentials" }>) => e.message,
  SessionExpired: (e: Extract<Catalog.SeedError, { _tag: "SessionExpired" }>) => e.message,
  InvalidSignature: (e: Extract<Catalog.SeedError, { _tag: "InvalidSignature" }>) => e.message,
  TokenRevoked: (e: Extract<Catalog.SeedError, { _tag: "TokenRevoked" }>) => e.message,
  Forbidden: (e: Extract<Catalog.SeedError, { _tag: "Forbidden" }>) => e.message,
  AccessDenied: (e: Extract<Catalog.SeedError, { _tag: "AccessDenied" }>) => e.message,
  CsrfValidationFailed: (e: Extract<Catalog.SeedError, { _tag: "CsrfValidationFailed" }>) => e.message,
  AccountDisabled: (e: Extract<Catalog.SeedError, { _tag: "AccountDisabled" }>) => e.message,
  InsufficientScope: (e: Extract<Catalog.SeedError, { _tag: "InsufficientScope" }>) => e.message,
  UserSuspended: (e: Extract<Catalog.SeedError, { _tag: "UserSuspended" }>) => e.message,
  UserLocked: (e: Extract<Catalog.SeedError, { _tag: "UserLocked" }>) => e.message,
  ClientDisabled: (e: Extract<Catalog.SeedError, { _tag: "ClientDisabled" }>) => e.message,
  NotFound: (e: Extract<Catalog.SeedError, { _tag: "NotFound" }>) => e.message,
  ResourceNotFound: (e: Extract<Catalog.SeedError, { _tag: "ResourceNotFound" }>) => e.message,
  UserNotFound: (e: Extract<Catalog.SeedError, { _tag: "UserNotFound" }>) => e.message,
  ClientNotFound: (e: Extract<Catalog.SeedError, { _tag: "ClientNotFound" }>) => e.message,
  OrganizationNotFound: (e: Extract<Catalog.SeedError, { _tag: "OrganizationNotFound" }>) => e.message,
  RoleNotFound: (e: Extract<Catalog.SeedError, { _tag: "RoleNotFound" }>) => e.message,
  PolicyNotFound: (e: Extract<Catalog.SeedError, { _tag: "PolicyNotFound" }>) => e.message,
  FlowNotFound: (e: Extract<Catalog.SeedError, { _tag: "FlowNotFound" }>) => e.message,
  JobNotFound: (e: Extract<Catalog.SeedError, { _tag: "JobNotFound" }>) => e.message,
  Conflict: (e: Extract<Catalog.SeedError, { _tag: "Conflict" }>) => e.message,
  DuplicateName: (e: Extract<Catalog.SeedError, { _tag: "DuplicateName" }>) => e.message,
  EmailAlreadyExists: (e: Extract<Catalog.SeedError, { _tag: "EmailAlreadyExists" }>) => e.message,
  ClientIdAlreadyExists: (e: Extract<Catalog.SeedError, { _tag: "ClientIdAlreadyExists" }>) => e.message,
  RoleAlreadyAssigned: (e: Extract<Catalog.SeedError, { _tag: "RoleAlreadyAssigned" }>) => e.message,
  UnprocessableEntity: (e: Extract<Catalog.SeedError, { _tag: "UnprocessableEntity" }>) => e.message,
  ValidationError: (e: Extract<Catalog.SeedError, { _tag: "ValidationError" }>) => e.message,
  InvalidEmail: (e: Extract<Catalog.SeedError, { _tag: "InvalidEmail" }>) => e.message,
  InvalidPassword: (e: Extract<Catalog.SeedError, { _tag: "InvalidPassword" }>) => e.message,
  ImportFailed: (e: Extract<Catalog.SeedError, { _tag: "ImportFailed" }>) => e.message,
  RateLimitExceeded: (e: Extract<Catalog.SeedError, { _tag: "RateLimitExceeded" }>) => e.message,
  InternalError: (e: Extract<Catalog.SeedError, { _tag: "InternalError" }>) => e.message,
  ServerError: (e: Extract<Catalog.SeedError, { _tag: "ServerError" }>) => e.message,
  DatabaseError: (e: Extract<Catalog.SeedError, { _tag: "DatabaseError" }>) => e.message,
  JobFailed: (e: Extract<Catalog.SeedError, { _tag: "JobFailed" }>) => e.message,
  ExportFailed: (e: Extract<Catalog.SeedError, { _tag: "ExportFailed" }>) => e.message,
  BadGateway: (e: Extract<Catalog.SeedError, { _tag: "BadGateway" }>) => e.message,
  ServiceUnavailable: (e: Extract<Catalog.SeedError, { _tag: "ServiceUnavailable" }>) => e.message,
  Timeout: (e: Extract<Catalog.SeedError, { _tag: "Timeout" }>) => e.message
}

describe("exhaustive matching over the catalog", () => {
  it("a Match with a case for each seed error compiles", () => {
    const toMessage = Match.type<Catalog.SeedError>().pipe(Match.tagsExhaustive(everyCase))
    expectTypeOf(toMessage).returns.toEqualTypeOf<string>()
  })

  it("a Match missing a case fails to compile", () => {
    const { Timeout: _timeout, ...everyCaseButTimeout } = everyCase
    Match.type<Catalog.SeedError>().pipe(
      // @ts-expect-error Timeout has no case
      Match.tagsExhaustive(everyCaseButTimeout)
    )
    Match.type<Catalog.SeedError>().pipe(
      Match.tag("UserNotFound", () => 404),
      // @ts-expect-error the other errors have no case
      Match.exhaustive
    )
  })
})
