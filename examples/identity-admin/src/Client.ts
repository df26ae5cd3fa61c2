/**
 * The OAuth clients resource of the identity-admin API: the client as the API shows it, the payloads that create
 * one and enable or disable it, and the scopes a client's tokens may carry.
 */
import { Validation } from "@errata/domain"
import { Schema } from "effect"
import { DisplayName, Role } from "./User.js"

/**
 * What a token may be used for; a client asks for some of its own at `/oauth/token` (RFC 6749 §3.3). `roles:*`
 * covers organizations' roles, their policies, and the roles assigned to users.
 */
export const Scope = Schema.Literal(
  "users:read",
  "users:write",
  "clients:read",
  "clients:write",
  "service:read",
  "service:write",
  "organizations:read",
  "organizations:write",
  "roles:read",
  "roles:write",
  "flows:read",
  "flows:write",
  "jobs:read",
  "jobs:write"
)

export type Scope = typeof Scope.Type

/** Every scope the service knows. */
export const allScopes: ReadonlyArray<Scope> = Scope.literals

/** A client's id, chosen when it is created. */
export const ClientId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._-]{3,64}$/),
  Validation.rule({ message: "must be 3 to 64 letters, digits, dots, dashes or underscores" }),
  Schema.annotations({ description: "A client's id" })
)

export class OAuthClient extends Schema.Class<OAuthClient>("OAuthClient")({
  clientId: Schema.propertySignature(ClientId).pipe(Schema.fromKey("client_id")),
  name: Schema.String,
  scopes: Schema.Array(Scope),
  roles: Schema.Array(Role),
  disabled: Schema.Boolean
}) {}

/** A client just created, with its secret: shown once, never again. */
export class CreatedClient extends OAuthClient.extend<CreatedClient>("CreatedClient")({
  clientSecret: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("client_secret"))
}) {}

export class CreateClient extends Schema.Class<CreateClient>("CreateClient")({
  clientId: Schema.propertySignature(ClientId).pipe(Schema.fromKey("client_id")),
  name: DisplayName,
  /** Default: every scope. */
  scopes: Schema.optional(Schema.Array(Scope)),
  /** The roles the client holds when it acts for itself. Default: none. */
  roles: Schema.optional(Schema.Array(Role))
}) {}

export class SetClientStatus extends Schema.Class<SetClientStatus>("SetClientStatus")({ disabled: Schema.Boolean }) {}
