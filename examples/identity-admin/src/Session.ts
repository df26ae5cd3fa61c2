/**
 * Browser sessions in the identity-admin API: the login payload, and what a login answers besides the cookie.
 */
import { Schema } from "effect"
import { UserId } from "./User.js"

/**
 * An email and password to sign in with, checked only for their length: an address or a password a new account could
 * not have is a failed login (`invalid_credentials`), which tells nothing of the rules.
 */
export class Login extends Schema.Class<Login>("Login")({
  email: Schema.String.pipe(Schema.maxLength(320)),
  password: Schema.Redacted(Schema.String.pipe(Schema.maxLength(256)))
}) {}

/**
 * A session just opened. The session id travels only in its `HttpOnly` cookie; the CSRF token is for the page,
 * which sends it back in `X-CSRF-Token` on every POST, PUT, PATCH and DELETE.
 */
export class SessionOpened extends Schema.Class<SessionOpened>("SessionOpened")({
  userId: Schema.propertySignature(UserId).pipe(Schema.fromKey("user_id")),
  csrfToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("csrf_token"))
}) {}
