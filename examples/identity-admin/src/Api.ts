/**
 * The contract of the reference service, shared by server and client: seed 004's identity-admin API, starting with
 * its users resource under `/api/admin/users`. Each endpoint declares exactly the catalog errors it can fail with.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import {
  BadRequest,
  DatabaseError,
  EmailAlreadyExists,
  InternalError,
  InvalidEmail,
  InvalidJson,
  InvalidPassword,
  PayloadTooLarge,
  RateLimitExceeded,
  Timeout,
  UnsupportedMediaType,
  UserNotFound,
  ValidationError,
  ValidationFailed
} from "./Errors.js"
import { CreateUser, UpdateUser, User, UserId, UserListParams, UserPage } from "./User.js"

const idPath = HttpApiSchema.param("id", UserId)

/**
 * @since 0.1.0
 */
export class UsersApi extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/users")
      .setPayload(CreateUser)
      .addSuccess(User, { status: 201 })
      .addError(EmailAlreadyExists)
      .addError(InvalidEmail)
      .addError(InvalidPassword)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/users/${idPath}`
      .addSuccess(User)
      .addError(UserNotFound)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/users")
      .setUrlParams(UserListParams)
      .addSuccess(UserPage)
  )
  .add(
    HttpApiEndpoint.patch("update")`/api/admin/users/${idPath}`
      .setPayload(UpdateUser)
      .addSuccess(User)
      .addError(UserNotFound)
      .addError(EmailAlreadyExists)
      .addError(InvalidEmail)
      .addError(InvalidPassword)
  )
  .add(
    HttpApiEndpoint.del("delete")`/api/admin/users/${idPath}`
      .addSuccess(Schema.Void)
      .addError(UserNotFound)
  )
  .addError(DatabaseError)
{}

/**
 * The errors any endpoint of an Errata server can answer with besides its own: bad input (which `validation_*` code
 * depends on the wire format), an oversized or mistyped body, rate limiting, a defect and a timeout.
 *
 * @since 0.1.0
 */
export const serverErrors = [
  ValidationError,
  ValidationFailed,
  InvalidJson,
  BadRequest,
  PayloadTooLarge,
  UnsupportedMediaType,
  RateLimitExceeded,
  InternalError,
  Timeout
] as const

/**
 * @since 0.1.0
 */
export class AdminApi extends HttpApi.make("admin")
  .add(UsersApi)
  .addError(ValidationError)
  .addError(ValidationFailed)
  .addError(InvalidJson)
  .addError(BadRequest)
  .addError(PayloadTooLarge)
  .addError(UnsupportedMediaType)
  .addError(RateLimitExceeded)
  .addError(InternalError)
  .addError(Timeout)
{}
