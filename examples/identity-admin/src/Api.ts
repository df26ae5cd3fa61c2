/**
 * The contract of the identity-admin service, shared by its server and its clients: seed 004's identity-admin API.
 * Each endpoint declares exactly the catalog errors it can fail with; `ErrataApi.make` declares, once for all, the
 * ones the framework answers with, and the `Authentication` middleware those of who is calling.
 *
 * Everything under `/api` needs credentials — a bearer token from `/oauth/token`, or the session cookie of
 * `POST /api/session` — except the login itself and the provisioning webhook, which is signed instead. Each endpoint
 * names the scopes its token needs (`Authentication.scopes`); what the caller's role allows is the handler's to say
 * (`forbidden`, or `access_denied` for a resource they may not see).
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Authentication, ErrataApi, Idempotency, OAuth, Webhook } from "@errata/domain"
import {
  AccessDenied,
  AccountDisabled,
  ClientIdAlreadyExists,
  ClientNotFound,
  DatabaseError,
  EmailAlreadyExists,
  Forbidden,
  InvalidCredentials,
  InvalidEmail,
  InvalidParameter,
  InvalidPassword,
  ServerError,
  ServiceUnavailable,
  UserLocked,
  UserNotFound,
  UserSuspended
} from "@errata/domain/Errors"
import { Schema } from "effect"
import { ClientId, CreateClient, CreatedClient, OAuthClient, SetClientStatus } from "./Client.js"
import { OrganizationsApi, PoliciesApi, RolesApi } from "./DirectoryApi.js"
import { FlowsApi } from "./FlowsApi.js"
import { ExportsApi, JobsApi } from "./JobsApi.js"
import { ProvisioningEvent } from "./Provisioning.js"
import { Login, SessionOpened } from "./Session.js"
import { CreateUser, SetUserStatus, UpdateUser, User, UserId, UserListParams, UserPage } from "./User.js"

const idPath = HttpApiSchema.param("id", UserId)
const clientIdPath = HttpApiSchema.param("id", ClientId)
const read = Authentication.scopes("users:read")
const write = Authentication.scopes("users:write")

/** The users resource: create, read, list, update, set the status of, and delete. */
export class UsersApi extends HttpApiGroup.make("users")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/users")
      .setPayload(CreateUser)
      .addSuccess(User, { status: 201 })
      .addError(EmailAlreadyExists)
      .addError(InvalidEmail)
      .addError(InvalidPassword)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/users/${idPath}`
      .addSuccess(User)
      .addError(UserNotFound)
      .addError(AccessDenied)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/users")
      .setUrlParams(UserListParams)
      .addSuccess(UserPage)
      .addError(InvalidParameter)
      .addError(Forbidden)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.patch("update")`/api/admin/users/${idPath}`
      .setPayload(UpdateUser)
      .addSuccess(User)
      .addError(UserNotFound)
      .addError(EmailAlreadyExists)
      .addError(InvalidEmail)
      .addError(InvalidPassword)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.put("setStatus")`/api/admin/users/${idPath}/status`
      .setPayload(SetUserStatus)
      .addSuccess(User)
      .addError(UserNotFound)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.del("delete")`/api/admin/users/${idPath}`
      .addSuccess(Schema.Void)
      .addError(UserNotFound)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}

/** The OAuth clients resource: create, and enable or disable. */
export class ClientsApi extends HttpApiGroup.make("clients")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/clients")
      .setPayload(CreateClient)
      .addSuccess(CreatedClient, { status: 201 })
      .addError(ClientIdAlreadyExists)
      .addError(Forbidden)
      .annotateContext(Authentication.scopes("clients:write"))
      // The answer holds the client's secret, which no idempotency store may keep.
      .annotateContext(Idempotency.ignored)
  )
  .add(
    HttpApiEndpoint.put("setStatus")`/api/admin/clients/${clientIdPath}/status`
      .setPayload(SetClientStatus)
      .addSuccess(OAuthClient)
      .addError(ClientNotFound)
      .addError(Forbidden)
      .annotateContext(Authentication.scopes("clients:write"))
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}

/** Browser sessions: sign in (a cookie and a CSRF token), see who is signed in, sign out. */
export class SessionApi extends HttpApiGroup.make("session")
  .add(
    HttpApiEndpoint.post("login", "/api/session")
      .setPayload(Login)
      .addSuccess(SessionOpened, { status: 201 })
      .addError(InvalidCredentials)
      .addError(UserLocked)
      .addError(UserSuspended)
      .addError(AccountDisabled)
      .addError(ServiceUnavailable)
      // The answer holds the CSRF token and sets the session cookie: no idempotency store may keep them.
      .annotateContext(Idempotency.ignored)
  )
  .add(
    HttpApiEndpoint.get("current", "/api/session")
      .addSuccess(Authentication.Principal)
      .middleware(Authentication.Authentication)
  )
  .add(
    HttpApiEndpoint.del("logout", "/api/session")
      .addSuccess(Schema.Void)
      .middleware(Authentication.Authentication)
  )
  .addError(DatabaseError)
{}

/** Webhooks other systems send: signed, not authenticated. */
export class WebhooksApi extends HttpApiGroup.make("webhooks")
  .add(
    HttpApiEndpoint.post("provisioning", "/api/webhooks/provisioning")
      .setPayload(ProvisioningEvent)
      .addSuccess(User)
      .addError(EmailAlreadyExists)
      .addError(InvalidEmail)
      .addError(UserNotFound)
      .addError(ServiceUnavailable)
      .middleware(Webhook.Signature)
  )
  .addError(DatabaseError)
{}

/**
 * The token endpoint and revocation (RFC 6749, RFC 7009), answering in RFC 6749's error shape; a failure of the
 * database is `server_error` there.
 */
export class OAuthApi extends OAuth.Group.addError(ServerError) {}

export class Health extends Schema.Class<Health>("Health")({ status: Schema.Literal("ok") }) {}

/** Liveness (`/health`: the process answers) and readiness (`/ready`: its database answers too). */
export class HealthApi extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health))
  .add(HttpApiEndpoint.get("ready", "/ready").addSuccess(Health).addError(ServiceUnavailable))
{}

export class Maintenance extends Schema.Class<Maintenance>("Maintenance")({ enabled: Schema.Boolean }) {}

/**
 * The maintenance switch of this instance: while it is on, every request but the health checks and this switch is
 * answered 503 `service_unavailable` with `Retry-After`.
 */
export class MaintenanceApi extends HttpApiGroup.make("maintenance")
  .add(
    HttpApiEndpoint.get("get", "/api/admin/maintenance")
      .addSuccess(Maintenance)
      .addError(Forbidden)
      .annotateContext(Authentication.scopes("service:read"))
  )
  .add(
    HttpApiEndpoint.put("set", "/api/admin/maintenance")
      .setPayload(Maintenance)
      .addSuccess(Maintenance)
      .addError(Forbidden)
      .annotateContext(Authentication.scopes("service:write"))
  )
  .middleware(Authentication.Authentication)
{}

/** The identity-admin API. */
export class AdminApi extends ErrataApi.make("admin")
  .add(UsersApi)
  .add(ClientsApi)
  .add(SessionApi)
  .add(WebhooksApi)
  .add(OAuthApi)
  .add(HealthApi)
  .add(MaintenanceApi)
  .add(OrganizationsApi)
  .add(RolesApi)
  .add(PoliciesApi)
  .add(FlowsApi)
  .add(JobsApi)
  .add(ExportsApi)
{}
