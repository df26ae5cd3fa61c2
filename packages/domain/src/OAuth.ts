/**
 * The OAuth 2 endpoints as a contract (RFC 6749 and RFC 7009): `POST /oauth/token` with the `client_credentials`,
 * `password` and `refresh_token` grants and `POST /oauth/revoke`, both taking
 * `application/x-www-form-urlencoded` bodies and answering errors in RFC 6749 §5.2's `{ error, error_description }`
 * shape (`WireFormat.OAuthStyle`) whatever the server's format. An API adds the group; a server implements it; a
 * client's `Credentials` gets tokens from it.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import * as ErrataApi from "./ErrataApi.js"
import * as Idempotency from "./Idempotency.js"
import {
  AccountDisabled,
  ClientDisabled,
  InvalidCredentials,
  InvalidToken,
  TokenExpired,
  TokenRevoked,
  UnauthorizedClient,
  UserLocked,
  UserSuspended
} from "./Errors.js"
import * as WireFormat from "./WireFormat.js"

/** The client's id and secret in the form; absent, the server reads them from `Authorization: Basic` (RFC 6749 §2.3.1). */
const clientAuthentication = {
  clientId: Schema.optionalWith(Schema.String, { exact: true }).pipe(Schema.fromKey("client_id")),
  clientSecret: Schema.optionalWith(Schema.Redacted(Schema.String), { exact: true }).pipe(Schema.fromKey("client_secret"))
}

/**
 * The scopes asked for, space-separated (RFC 6749 §3.3).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scope = Schema.optional(Schema.String)

/**
 * A client asking for a token of its own (RFC 6749 §4.4).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ClientCredentialsGrant extends Schema.Class<ClientCredentialsGrant>("ClientCredentialsGrant")({
  grantType: Schema.propertySignature(Schema.Literal("client_credentials")).pipe(Schema.fromKey("grant_type")),
  ...clientAuthentication,
  scope: Scope
}) {}

/**
 * A client asking for a token for a user, with the user's email and password (RFC 6749 §4.3).
 *
 * @since 0.1.0
 * @category schemas
 */
export class PasswordGrant extends Schema.Class<PasswordGrant>("PasswordGrant")({
  grantType: Schema.propertySignature(Schema.Literal("password")).pipe(Schema.fromKey("grant_type")),
  ...clientAuthentication,
  username: Schema.String,
  password: Schema.Redacted(Schema.String),
  scope: Scope
}) {}

/**
 * A client exchanging a refresh token for new tokens (RFC 6749 §6).
 *
 * @since 0.1.0
 * @category schemas
 */
export class RefreshTokenGrant extends Schema.Class<RefreshTokenGrant>("RefreshTokenGrant")({
  grantType: Schema.propertySignature(Schema.Literal("refresh_token")).pipe(Schema.fromKey("grant_type")),
  ...clientAuthentication,
  refreshToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("refresh_token")),
  scope: Scope
}) {}

/** A form body (each member of a union is encoded on its own, so each carries the encoding). */
const form = <S extends Schema.Schema.Any>(schema: S): S =>
  HttpApiSchema.withEncoding(schema, { kind: "UrlParams" } as never) as S

/**
 * The body of `POST /oauth/token`: one of the grants, as a form.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenRequest = Schema.Union(form(ClientCredentialsGrant), form(PasswordGrant), form(RefreshTokenGrant))

/**
 * A successful token response (RFC 6749 §5.1).
 *
 * @since 0.1.0
 * @category schemas
 */
export class TokenResponse extends Schema.Class<TokenResponse>("TokenResponse")({
  accessToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("access_token")),
  tokenType: Schema.propertySignature(Schema.Literal("Bearer")).pipe(Schema.fromKey("token_type")),
  /** Seconds the access token lives. */
  expiresIn: Schema.propertySignature(Schema.Int).pipe(Schema.fromKey("expires_in")),
  refreshToken: Schema.optionalWith(Schema.Redacted(Schema.String), { exact: true }).pipe(Schema.fromKey("refresh_token")),
  scope: Schema.optionalWith(Schema.String, { exact: true })
}) {}

/**
 * The body of `POST /oauth/revoke` (RFC 7009 §2.1): the token, and the client it was issued to.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RevokeRequest extends Schema.Class<RevokeRequest>("RevokeRequest")({
  token: Schema.Redacted(Schema.String),
  tokenTypeHint: Schema.optionalWith(Schema.Literal("access_token", "refresh_token"), { exact: true }).pipe(
    Schema.fromKey("token_type_hint")
  ),
  ...clientAuthentication
}) {}

/**
 * `POST /oauth/token` and `POST /oauth/revoke`, answering in RFC 6749's error shape.
 *
 * @since 0.1.0
 * @category groups
 */
export class Group extends HttpApiGroup.make("oauth")
  .add(
    HttpApiEndpoint.post("token", "/oauth/token")
      .setPayload(TokenRequest)
      .addSuccess(TokenResponse)
      .addError(UnauthorizedClient)
      .addError(ClientDisabled)
      .addError(InvalidCredentials)
      .addError(UserLocked)
      .addError(UserSuspended)
      .addError(AccountDisabled)
      .addError(InvalidToken)
      .addError(TokenExpired)
      .addError(TokenRevoked)
  )
  .add(
    HttpApiEndpoint.post("revoke", "/oauth/revoke")
      .setPayload(form(RevokeRequest))
      // RFC 7009 §2.2: 200, whether the token was valid or not.
      .addSuccess(Schema.Void, { status: 200 })
      .addError(UnauthorizedClient)
      .addError(ClientDisabled)
  )
  .annotateContext(ErrataApi.answeredIn(WireFormat.OAuthStyle))
  // Token responses are secrets: no idempotency store keeps them.
  .annotateContext(Idempotency.ignored)
{}
