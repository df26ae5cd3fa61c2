/**
 * The server's side of `Authentication` (the contract's middleware): who is calling, checked on every request.
 *
 * - A bearer token (RFC 6750) in `Authorization`: the application says how a token is looked up; the framework
 *   answers a malformed or unknown token with 401 `invalid_token`, an expired one with `token_expired`, a revoked one
 *   with `token_revoked`, and another scheme (`Basic …`) like no credentials, 401 `unauthorized`.
 * - Else a session cookie (seed 002): past its idle or absolute lifetime, `session_expired`; a request with an
 *   unsafe method (POST, PUT, PATCH, DELETE) must carry the session's CSRF token in `X-CSRF-Token`, else 403
 *   `csrf_validation_failed`. A bearer-authenticated request needs none.
 * - Neither: 401 `unauthorized`.
 *
 * Then, for every request, the principal's state as the lookup reads it now: a suspended, locked or disabled account
 * and a disabled client are refused at once (`user_suspended`, `user_locked`, `account_disabled`, `client_disabled`),
 * and an endpoint's required scopes (`Authentication.scopes` in the contract) that the credentials lack give 403
 * `insufficient_scope`, naming the scope (the scopes come from the Errata server's route table: the API must be
 * served with `ErrataServer.layer`). A lookup that fails answers 503 `service_unavailable`. Every 401 and 403 the
 * server sends carries `WWW-Authenticate: Bearer realm=…` with `error_description`, and RFC 6750's `error` where it
 * defines one (`challenge`).
 *
 * Secrets are compared in constant time; tokens and session ids are looked up by their SHA-256 (`hashSecret`), so
 * that a database holds no usable credential; none is ever logged.
 *
 * @since 0.1.0
 */
import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Authentication, CatalogError } from "@errata/domain"
import {
  AccessDenied,
  AccountDisabled,
  ClientDisabled,
  CsrfValidationFailed,
  Forbidden,
  InsufficientScope,
  InvalidToken,
  ServiceUnavailable,
  SessionExpired,
  TokenExpired,
  TokenRevoked,
  Unauthorized,
  UserLocked,
  UserSuspended
} from "@errata/domain/Errors"
import { Cause, Clock, Duration, Effect, Layer, Option, Redacted } from "effect"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { ErrorHeaders } from "./ErrorHeaders.js"
import { HandlerState } from "./internal/middleware.js"

/**
 * The state of the account or client credentials act for: only `active` may act.
 *
 * @since 0.1.0
 * @category models
 */
export type AccountState = "active" | "suspended" | "locked" | "disabled"

/**
 * What a lookup knows of the credentials' principal, read now.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  readonly principal: Authentication.Principal
  /** The user's account, for credentials that act for a user; `active` for a client's own. */
  readonly state: AccountState
  /** Whether the client the credentials were issued to is disabled. */
  readonly clientDisabled: boolean
}

/**
 * A bearer token, as a lookup finds it.
 *
 * @since 0.1.0
 * @category models
 */
export interface BearerToken extends Credentials {
  /** Epoch milliseconds. */
  readonly expiresAt: number
  readonly revoked: boolean
}

/**
 * A session, as a lookup finds it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session extends Credentials {
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly lastSeenAt: number
  /** `hashSecret` of the session's CSRF token. */
  readonly csrfHash: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The `realm` of `WWW-Authenticate`. */
  readonly realm: string
  /** Finds a bearer token; `None` for a token that is not one. */
  readonly bearer: (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<BearerToken>, unknown>
  /** Sessions by cookie; without it only bearer tokens authenticate. */
  readonly sessions?: {
    /** The cookie's name. Default `errata_session`. */
    readonly cookie?: string
    /** Finds a session by its id (the cookie's value); `None` for one that is not, or no longer, a session. */
    readonly find: (id: Redacted.Redacted<string>) => Effect.Effect<Option.Option<Session>, unknown>
    /** Records that the session was used now (its idle lifetime starts again). */
    readonly touch: (id: Redacted.Redacted<string>, now: number) => Effect.Effect<void, unknown>
    /** How long a session lives unused. Default 30 minutes. */
    readonly idleTimeout?: Duration.DurationInput
    /** How long a session lives at most. Default 12 hours. */
    readonly absoluteTimeout?: Duration.DurationInput
  }
}

/**
 * The header a cookie-authenticated unsafe request carries its CSRF token in.
 *
 * @since 0.1.0
 * @category sessions
 */
export const csrfHeader = "x-csrf-token"

/**
 * The default name of the session cookie.
 *
 * @since 0.1.0
 * @category sessions
 */
export const sessionCookie = "errata_session"

/**
 * A new secret for a token, a session id or a CSRF token: 32 random bytes, base64url, after a prefix that tells
 * what it is (`at_` for an access token, say).
 *
 * @since 0.1.0
 * @category secrets
 */
export const newSecret = (prefix: string): Redacted.Redacted<string> =>
  Redacted.make(prefix + randomBytes(32).toString("base64url"))

/**
 * The SHA-256 of a secret, hex: what a store keeps and looks secrets up by.
 *
 * @since 0.1.0
 * @category secrets
 */
export const hashSecret = (secret: Redacted.Redacted<string> | string): string =>
  createHash("sha256").update(typeof secret === "string" ? secret : Redacted.value(secret)).digest("hex")

/**
 * Whether two strings are equal, in time that depends on their length only.
 *
 * @since 0.1.0
 * @category secrets
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * The user name and password of an `Authorization: Basic` header (RFC 7617), each form-decoded as RFC 6749 §2.3.1
 * has a client encode its id and secret; `None` for any other header.
 *
 * @since 0.1.0
 * @category secrets
 */
export const basicCredentials = (
  authorization: string | undefined
): Option.Option<{ readonly username: string; readonly password: Redacted.Redacted<string> }> => {
  const match = authorization === undefined ? null : /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(authorization)
  if (match === null) return Option.none()
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon === -1) return Option.none()
  const formDecoded = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "))
    } catch {
      return undefined
    }
  }
  const username = formDecoded(decoded.slice(0, colon))
  const password = formDecoded(decoded.slice(colon + 1))
  return username === undefined || password === undefined
    ? Option.none()
    : Option.some({ username, password: Redacted.make(password) })
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"])
const bearerHeader = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i

/** RFC 6750's quoted strings take no quote nor backslash, nor anything outside printable ASCII. */
const quoted = (text: string) => `"${text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "")}"`

/** The codes whose challenge names RFC 6750's `invalid_token`: a bearer token that was sent and does not work. */
const invalidTokenCodes = new Set(["invalid_token", "token_expired", "token_revoked"])

/**
 * The `WWW-Authenticate` challenge of a 401 or a 403 (RFC 6750 §3): the realm on every one; `error="invalid_token"`
 * for a bearer token that does not work (invalid, expired, revoked) and `error="insufficient_scope"` with the scope for
 * a missing scope; for every other refusal, only its description — RFC 6750 defines no code for them, and a request
 * without a bearer token gets none.
 *
 * @since 0.1.0
 * @category challenges
 */
export const challenge = (realm: string) => (error: CatalogError.CatalogError): Readonly<Record<string, string>> | undefined => {
  const { code, status } = CatalogError.metadataOf(error)
  if (status !== 401 && status !== 403) return undefined
  const params = [`realm=${quoted(realm)}`]
  if (invalidTokenCodes.has(code)) params.push(`error=${quoted("invalid_token")}`)
  if (error instanceof InsufficientScope) params.push(`error=${quoted("insufficient_scope")}`)
  if (code !== "unauthorized") params.push(`error_description=${quoted(error.message)}`)
  if (error instanceof InsufficientScope && error.requiredScope !== undefined) {
    params.push(`scope=${quoted(error.requiredScope)}`)
  }
  return { "www-authenticate": `Bearer ${params.join(", ")}` }
}

/** The state check of every request. */
const checkState = (
  credentials: Credentials
): Effect.Effect<Authentication.Principal, ClientDisabled | UserSuspended | UserLocked | AccountDisabled> => {
  if (credentials.clientDisabled) return Effect.fail(new ClientDisabled({ message: "The client is disabled" }))
  switch (credentials.state) {
    case "active":
      return Effect.succeed(credentials.principal)
    case "suspended":
      return Effect.fail(new UserSuspended({ message: "The account is suspended" }))
    case "locked":
      return Effect.fail(new UserLocked({ message: "The account is locked" }))
    case "disabled":
      return Effect.fail(new AccountDisabled({ message: "The account is disabled" }))
  }
}

/**
 * The endpoint's required scopes, every one of which the principal's credentials must grant. They come from the
 * Errata server's route table: a request it did not route cannot be checked, and is refused as the server's fault.
 */
const checkScopes = (principal: Authentication.Principal) =>
  Effect.flatMap(Effect.serviceOption(HandlerState), (state) => {
    if (state._tag === "None" || state.value.endpoint === undefined) {
      return Effect.dieMessage("Authentication: the endpoint's required scopes are unknown; serve the API with ErrataServer.layer")
    }
    const missing = state.value.endpoint.scopes.find((scope) => !principal.scopes.includes(scope))
    return missing === undefined
      ? Effect.succeed(principal)
      : Effect.fail(new InsufficientScope({ message: `This request requires the scope ${missing}`, requiredScope: missing }))
  })

const unavailable = (cause: unknown) =>
  Effect.zipRight(
    Effect.logWarning("credentials could not be looked up", Cause.fail(cause)),
    Effect.fail(new ServiceUnavailable({ message: "The credentials could not be checked; try again", retryAfter: 1 }))
  )

/**
 * The `Authentication` middleware and the `WWW-Authenticate` challenge of every 401 and 403, for a server: provide it
 * to `ErrataServer.layer` (its groups need the middleware; its error responses, the challenge).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Authentication.Authentication | ErrorHeaders> => {
  const sessions = options.sessions
  const cookie = sessions?.cookie ?? sessionCookie
  const idle = Duration.toMillis(sessions?.idleTimeout ?? "30 minutes")
  const absolute = Duration.toMillis(sessions?.absoluteTimeout ?? "12 hours")

  const byBearer = (token: Redacted.Redacted<string>) =>
    Effect.gen(function*() {
      const found = yield* Effect.catchAll(options.bearer(token), unavailable)
      if (found._tag === "None") return yield* Effect.fail(new InvalidToken({ message: "The token is not valid" }))
      const bearer = found.value
      if (bearer.revoked) return yield* Effect.fail(new TokenRevoked({ message: "The token has been revoked" }))
      if (bearer.expiresAt <= (yield* Clock.currentTimeMillis)) {
        return yield* Effect.fail(new TokenExpired({ message: "The token has expired" }))
      }
      return yield* checkState(bearer)
    })

  const bySession = (request: HttpServerRequest.HttpServerRequest, id: Redacted.Redacted<string>) =>
    Effect.gen(function*() {
      const found = yield* Effect.catchAll(sessions!.find(id), unavailable)
      const now = yield* Clock.currentTimeMillis
      if (found._tag === "None" || found.value.lastSeenAt + idle <= now || found.value.createdAt + absolute <= now) {
        return yield* Effect.fail(new SessionExpired({ message: "The session has expired; sign in again" }))
      }
      const session = found.value
      if (unsafeMethods.has(request.method)) {
        const token = request.headers[csrfHeader]
        if (token === undefined || !constantTimeEqual(hashSecret(token), session.csrfHash)) {
          return yield* Effect.fail(new CsrfValidationFailed({ message: "The CSRF token is missing or does not match" }))
        }
      }
      const principal = yield* checkState(session)
      // The idle lifetime is counted in minutes: a session used again within one is not written to.
      if (now - session.lastSeenAt >= 60_000) yield* Effect.catchAll(sessions!.touch(id, now), unavailable)
      return principal
    })

  const authenticate = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const authorization = request.headers.authorization
    if (authorization !== undefined) {
      if (!/^Bearer /i.test(authorization)) {
        return yield* Effect.fail(new Unauthorized({ message: "Send a bearer token: Authorization: Bearer <token>" }))
      }
      const match = bearerHeader.exec(authorization)
      if (match === null) return yield* Effect.fail(new InvalidToken({ message: "The bearer token is malformed" }))
      return yield* checkScopes(yield* byBearer(Redacted.make(match[1]!)))
    }
    const sessionId = sessions === undefined ? undefined : request.cookies[cookie]
    if (sessionId !== undefined && sessionId !== "") return yield* checkScopes(yield* bySession(request, Redacted.make(sessionId)))
    return yield* Effect.fail(new Unauthorized({ message: "No credentials: send a bearer token, or sign in" }))
  })

  return Layer.merge(
    Layer.succeed(Authentication.Authentication, { bearer: () => authenticate }),
    Layer.succeed(ErrorHeaders, challenge(options.realm))
  )
}

/**
 * The principal, if it holds `role`; else 403 `forbidden`.
 *
 * @since 0.1.0
 * @category authorization
 */
export const requireRole = (
  role: string
): Effect.Effect<Authentication.Principal, Forbidden, Authentication.CurrentPrincipal> =>
  Effect.flatMap(Authentication.CurrentPrincipal, (principal) =>
    principal.roles.includes(role)
      ? Effect.succeed(principal)
      : Effect.fail(new Forbidden({ message: "You do not have permission to perform this action" })))

/**
 * The principal, if it may see the resource; else 403 `access_denied`.
 *
 * @since 0.1.0
 * @category authorization
 */
export const requireAccess = (
  allowed: (principal: Authentication.Principal) => boolean
): Effect.Effect<Authentication.Principal, AccessDenied, Authentication.CurrentPrincipal> =>
  Effect.flatMap(Authentication.CurrentPrincipal, (principal) =>
    allowed(principal)
      ? Effect.succeed(principal)
      : Effect.fail(new AccessDenied({ message: "Access denied for this resource" })))

/**
 * Sets the session cookie on the response being built: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` when the
 * request came over TLS (or `secure` says so).
 *
 * @since 0.1.0
 * @category sessions
 */
export const setSessionCookie = (
  id: Redacted.Redacted<string>,
  options: { readonly cookie?: string; readonly secure?: boolean; readonly maxAge?: Duration.DurationInput } = {}
): Effect.Effect<void, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const secure = options.secure ?? (request.headers["x-forwarded-proto"] === "https" || isTls(request))
    return HttpApp.appendPreResponseHandler((_request, response) =>
      Effect.orDie(HttpServerResponse.setCookie(response, options.cookie ?? sessionCookie, Redacted.value(id), {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure,
        ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {})
      }))
    )
  })

/**
 * Clears the session cookie on the response being built.
 *
 * @since 0.1.0
 * @category sessions
 */
export const clearSessionCookie = (options: { readonly cookie?: string } = {}): Effect.Effect<void> =>
  HttpApp.appendPreResponseHandler((_request, response) =>
    Effect.orDie(HttpServerResponse.setCookie(response, options.cookie ?? sessionCookie, "", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 0
    }))
  )

const isTls = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const source = (request as { readonly source?: { readonly socket?: { readonly encrypted?: boolean } } }).source
  return source?.socket?.encrypted === true
}
