/**
 * Browser sessions in the identity-admin API: the login payload, and what a login answers besides the cookie.
 */
import { Schema } from "effect"
import { EmailInput, PasswordInput, UserId } from "./User.js"

export class Login extends Schema.Class<Login>("Login")({ email: EmailInput, password: PasswordInput }) {}

/**
 * A session just opened. The session id travels only in its `HttpOnly` cookie; the CSRF token is for the page,
 * which sends it back in `X-CSRF-Token` on every POST, PUT, PATCH and DELETE.
 */
export class SessionOpened extends Schema.Class<SessionOpened>("SessionOpened")({
  userId: Schema.propertySignature(UserId).pipe(Schema.fromKey("user_id")),
  csrfToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("csrf_token"))
}) {}
