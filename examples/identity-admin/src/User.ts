/**
 * The users resource of the identity-admin API (seed 004): the user as the API shows it, and the payloads that
 * create and update one.
 */
import { Validation } from "@errata/domain"
import { InvalidEmail, InvalidPassword } from "@errata/domain/Errors"
import { Schema } from "effect"

/**
 * Whether a text has no control character: a NUL (which PostgreSQL can neither store nor compare), a terminal
 * escape, a line break. Ids, names and the email of a login are checked by it before any query sees them.
 */
export const isPrintable = (text: string) => !/\p{Cc}/u.test(text)

/** The check of `isPrintable`, stated in the OpenAPI document as a pattern (the control characters are Cc). */
export const printable = <I, R>(self: Schema.Schema<string, I, R>) =>
  self.pipe(Schema.filter(isPrintable, { jsonSchema: { pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]*$" } }))

/** The rule of `isPrintable`. */
export const printableRule: Validation.Rule = { message: "must not contain control characters" }

export const UserId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(64),
  printable,
  Validation.rule(printableRule),
  Schema.brand("UserId"),
  Schema.annotations({ description: "A user's id" })
)

export type UserId = typeof UserId.Type

/**
 * What a user may do in this service: an admin manages users and clients; a member reads their own record. The
 * security layer checks it; the roles of organizations (`Role.ts`) are another thing.
 */
export const Role = Schema.Literal("admin", "member")

export type Role = typeof Role.Type

/** Whether a user may sign in and act: only `active` may; a lock after failed logins ends by itself. */
export const UserStatus = Schema.Literal("active", "suspended", "locked", "disabled")

export type UserStatus = typeof UserStatus.Type

export class User extends Schema.Class<User>("User")({
  id: UserId,
  email: Schema.String,
  name: Schema.String,
  role: Role,
  status: UserStatus,
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at")),
  updatedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("updated_at"))
}) {}

/**
 * A name people read — of a user, an organization, a role, a policy, a flow or a client: trimmed, 1 to 200
 * characters, none a control character (a NUL, which PostgreSQL cannot store; a terminal escape; a line break).
 */
export const DisplayName = Schema.Trim.pipe(
  Schema.minLength(1),
  Schema.maxLength(200),
  printable,
  Validation.rule(printableRule)
)

/** A user's display name. */
export const UserName = DisplayName

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Characters no address may hold: control, format (zero-width, bidirectional), surrogate, private-use and unassigned
 * code points, separators, and letters and marks that show nothing. Each would make two addresses that look the same,
 * or carry a terminal escape into whatever shows the address.
 */
const invisible = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\u034F\u115F\u1160\u17B4\u17B5\u2800\u3164\uFE00-\uFE0F\uFFA0]/u

/**
 * An email address as the service stores and compares it: trimmed, lower case, in Unicode normal form C, so that
 * `José` with a precomposed é and `Jose` followed by a combining acute accent are one address.
 */
export const normalizeEmail = (email: string) => email.trim().toLowerCase().normalize("NFC")

/** Whether an email address has the form the service accepts, once normalized, and nothing invisible in it. */
export const isEmail = (email: string) => {
  const normalized = normalizeEmail(email)
  return emailFormat.test(normalized) && !invisible.test(normalized)
}

/** The rule of an email address; alone in failing, it answers `invalid_email`. */
export const emailRule: Validation.Rule = { message: "must be a valid email address", error: InvalidEmail }

/** Whether a password is strong enough: at least 8 characters, with a letter and a digit. */
export const isStrongPassword = (password: string) =>
  password.length >= 8 && /[A-Za-z]/.test(password) && /\d/.test(password)

/** The rule of a password; alone in failing, it answers `invalid_password`. */
export const passwordRule: Validation.Rule = {
  message: "must be at least 8 characters long and contain a letter and a digit",
  error: InvalidPassword
}

/**
 * The email as sent, at most 320 characters, of the form `name@domain.tld`.
 */
export const EmailInput = Schema.String.pipe(
  Schema.maxLength(320),
  Schema.filter(isEmail),
  Validation.rule(emailRule)
)

/**
 * The password as sent, redacted from logs: 8 to 256 characters, with a letter and a digit.
 */
export const PasswordInput = Schema.Redacted(
  Schema.String.pipe(Schema.maxLength(256), Schema.filter(isStrongPassword), Validation.rule(passwordRule))
)

export class CreateUser extends Schema.Class<CreateUser>("CreateUser")(
  Schema.Struct({ email: EmailInput, name: UserName, password: PasswordInput, role: Schema.optional(Role) })
) {}

/**
 * A status an administrator sets: `suspended`, `locked` or `disabled` refuses the user's logins and tokens; a lock
 * set by hand lasts until it is lifted; `active` lifts each of them, the lock after failed logins too.
 */
export class SetUserStatus extends Schema.Class<SetUserStatus>("SetUserStatus")({ status: UserStatus }) {}

export class UpdateUser extends Schema.Class<UpdateUser>("UpdateUser")(
  Schema.Struct({
    email: Schema.optional(EmailInput),
    name: Schema.optional(UserName),
    password: Schema.optional(PasswordInput)
  })
) {}

export class UserPage extends Schema.Class<UserPage>("UserPage")({
  users: Schema.Array(User),
  limit: Schema.Int,
  offset: Schema.Int
}) {}

export const UserListParams = Schema.Struct({
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 100))),
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
  sort: Schema.optional(Schema.String.annotations({
    description: "A column to sort by — email, name or created_at (the default) — with a leading - for descending order"
  }))
})

/** The columns a list of users may be sorted by. */
export const sortKeys = ["email", "name", "created_at"] as const

/** The order of a list of users: a column, ascending or descending. */
export const UserSort = Schema.Struct({ key: Schema.Literal(...sortKeys), descending: Schema.Boolean })
export type UserSort = typeof UserSort.Type
