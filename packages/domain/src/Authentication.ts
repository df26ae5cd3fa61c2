/**
 * Who is calling, as the contract declares it: the `Authentication` middleware a group or an endpoint requires, the
 * `Principal` it provides to handlers, the errors it answers with, and the scopes an endpoint requires. A server
 * implements the middleware (`@errata/server`'s `Authentication.layer`), from a bearer token (RFC 6750) or a
 * session cookie; a client derived from the API sees its errors in each call's error type.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import type { NonEmptyReadonlyArray } from "effect/Array"
import { Context, Schema } from "effect"
import {
  AccountDisabled,
  ClientDisabled,
  CsrfValidationFailed,
  InsufficientScope,
  InvalidToken,
  ServiceUnavailable,
  SessionExpired,
  TokenExpired,
  TokenRevoked,
  Unauthorized,
  UserLocked,
  UserSuspended
} from "./Errors.js"

/**
 * Who a request acts for: a user (by password, a session or a token issued to them) or a client (by its own
 * credentials), with the scopes its credentials grant and the roles it holds.
 *
 * @since 0.1.0
 * @category models
 */
export class Principal extends Schema.Class<Principal>("Principal")({
  /** The id of the user or of the client. */
  subject: Schema.String,
  kind: Schema.Literal("user", "client"),
  /** The client the credentials were issued to. */
  clientId: Schema.optional(Schema.String),
  scopes: Schema.Array(Schema.String),
  roles: Schema.Array(Schema.String)
}) {}

/**
 * The principal of the request being handled, provided by `Authentication`.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentPrincipal extends Context.Tag("errata/CurrentPrincipal")<CurrentPrincipal, Principal>() {}

/**
 * The errors `Authentication` answers with: no credentials (401 `unauthorized`), a token that is malformed or
 * unknown, expired or revoked, a session that expired or an unsafe request without its CSRF token, an account or a
 * client that may not act (checked on every request), a missing scope, and credentials that cannot be checked now.
 *
 * @since 0.1.0
 * @category errors
 */
export const AuthenticationError = Schema.Union(
  Unauthorized,
  InvalidToken,
  TokenExpired,
  TokenRevoked,
  SessionExpired,
  CsrfValidationFailed,
  AccountDisabled,
  UserSuspended,
  UserLocked,
  ClientDisabled,
  InsufficientScope,
  ServiceUnavailable
)

/**
 * Requires a caller: `HttpApiGroup.middleware(Authentication)` or `HttpApiEndpoint.middleware(Authentication)`.
 * The OpenAPI document shows its bearer scheme, with the endpoint's required scopes.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("errata/Authentication", {
  failure: AuthenticationError,
  provides: CurrentPrincipal,
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "A bearer token (RFC 6750). Where the server has sessions, a browser may send its session cookie instead, " +
          "with the session's CSRF token in X-CSRF-Token on POST, PUT, PATCH and DELETE."
      )
    )
  }
}) {}

/**
 * The scopes an endpoint requires of its caller, every one of them: an annotation of the endpoint (or of its
 * group), read by the server and shown in the OpenAPI document's security requirements.
 *
 * @since 0.1.0
 * @category annotations
 */
export class RequiredScopes extends Context.Tag("errata/RequiredScopes")<RequiredScopes, ReadonlyArray<string>>() {}

/**
 * The annotation of an endpoint that requires scopes: `endpoint.annotateContext(Authentication.scopes("users:write"))`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const scopes = (...required: NonEmptyReadonlyArray<string>): Context.Context<RequiredScopes> =>
  Context.make(RequiredScopes, required)
