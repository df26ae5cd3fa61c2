/**
 * The contract of the identity-admin service, shared by its server and its clients: seed 004's identity-admin API,
 * starting with its users resource under `/api/admin/users`. Each endpoint declares exactly the catalog errors it
 * can fail with; `ErrataApi.make` declares, once for all, the ones the framework answers with.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { ErrataApi } from "@errata/domain"
import { DatabaseError, EmailAlreadyExists, InvalidEmail, InvalidPassword, UserNotFound } from "@errata/domain/Errors"
import { Schema } from "effect"
import { CreateUser, UpdateUser, User, UserId, UserListParams, UserPage } from "./User.js"

const idPath = HttpApiSchema.param("id", UserId)

/** The users resource: create, read, list, update and delete. */
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

/** The identity-admin API. */
export class AdminApi extends ErrataApi.make("admin").add(UsersApi) {}
