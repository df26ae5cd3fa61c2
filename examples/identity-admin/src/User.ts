/**
 * The users resource of the identity-admin API (seed 004): the user as the API shows it, and the payloads that
 * create and update one.
 */
import { Schema } from "effect"

/**
 * Decoding reports every invalid field, not only the first, so that a 422 lists them all.
 */
export const reportEveryField = { parseOptions: { errors: "all" } } as const

export const UserId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(64),
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
 * A user's display name: trimmed, 1 to 200 characters.
 */
export const UserName = Schema.Trim.pipe(
  Schema.minLength(1, { message: () => "must not be empty" }),
  Schema.maxLength(200, { message: () => "must be at most 200 characters" })
)

/**
 * The email as sent. Its format is checked by the service, which answers `invalid_email`, not by the schema.
 */
export const EmailInput = Schema.String.pipe(Schema.maxLength(320, { message: () => "must be at most 320 characters" }))

/**
 * The password as sent, redacted from logs. Its strength is checked by the service (`invalid_password`).
 */
export const PasswordInput = Schema.Redacted(
  Schema.String.pipe(Schema.maxLength(256, { message: () => "must be at most 256 characters" }))
)

export class CreateUser extends Schema.Class<CreateUser>("CreateUser")(
  Schema.Struct({ email: EmailInput, name: UserName, password: PasswordInput, role: Schema.optional(Role) }).annotations(
    reportEveryField
  )
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
  }).annotations(reportEveryField)
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
}).annotations(reportEveryField)

/** The columns a list of users may be sorted by. */
export const sortKeys = ["email", "name", "created_at"] as const

/** The order of a list of users: a column, ascending or descending. */
export const UserSort = Schema.Struct({ key: Schema.Literal(...sortKeys), descending: Schema.Boolean })
export type UserSort = typeof UserSort.Type
