/**
 * The service's users: creating (by an administrator, or provisioned by another system), reading, listing,
 * updating, setting their status and deleting them, with the email and password rules that answer `invalid_email`
 * and `invalid_password`.
 */
import type { DatabaseError } from "@errata/domain/Errors"
import { EmailAlreadyExists, InvalidEmail, InvalidPassword, UserNotFound } from "@errata/domain/Errors"
import type { Validation } from "@errata/domain"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import * as Passwords from "./Passwords.js"
import type { CreateUser, UpdateUser, User, UserId, UserSort, UserStatus } from "./User.js"
import { emailRule, isEmail, isStrongPassword, normalizeEmail, passwordRule } from "./User.js"
import { UsersRepository } from "./UsersRepository.js"

/** A rule's failure, for a value no request schema checked (a row of an import). */
const failed = (field: string, rule: Validation.Rule) => {
  const message = `${field} ${rule.message}`
  return { message, fieldErrors: [{ field, message, code: rule.error!.metadata.code }] }
}

/** The email, normalized, if its format is valid: `EmailInput`'s rule, for rows of an import. */
export const checkEmail = (email: string): Effect.Effect<string, InvalidEmail> =>
  isEmail(email) ? Effect.succeed(normalizeEmail(email)) : Effect.fail(new InvalidEmail(failed("email", emailRule)))

/** `PasswordInput`'s rule, for rows of an import. */
export const checkPassword = (password: Redacted.Redacted<string>): Effect.Effect<Redacted.Redacted<string>, InvalidPassword> =>
  isStrongPassword(Redacted.value(password))
    ? Effect.succeed(password)
    : Effect.fail(new InvalidPassword(failed("password", passwordRule)))

export const newUserId = () => `usr_${randomUUID().replace(/-/g, "")}` as UserId

const notFound = (id: UserId) => new UserNotFound({ message: "The specified user was not found", userId: id })

const orNotFound = (id: UserId) => (found: Option.Option<User>): Effect.Effect<User, UserNotFound> =>
  Option.match(found, { onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed })

/** The users of the service, with their rules. */
export class Users extends Effect.Service<Users>()("identity-admin/Users", {
  effect: Effect.gen(function*() {
    const repository = yield* UsersRepository

    const create = (input: CreateUser): Effect.Effect<User, EmailAlreadyExists | InvalidEmail | InvalidPassword | DatabaseError> =>
      Effect.gen(function*() {
        const email = yield* checkEmail(input.email)
        const password = yield* checkPassword(input.password)
        return yield* repository.insert({
          id: newUserId(),
          email,
          name: input.name,
          passwordHash: yield* Passwords.hash(password),
          role: input.role ?? "member"
        })
      })

    /**
     * A user another system creates (the provisioning webhook): without a password anyone knows, until an
     * administrator sets one.
     */
    const provision = (input: { readonly email: string; readonly name: string }) =>
      Effect.flatMap(checkEmail(input.email), (email) =>
        repository.insert({
          id: newUserId(),
          email,
          name: input.name,
          passwordHash: Passwords.unmatchable,
          role: "member"
        }))

    const get = (id: UserId): Effect.Effect<User, UserNotFound | DatabaseError> =>
      Effect.flatMap(repository.findById(id), orNotFound(id))

    const getByEmail = (email: string): Effect.Effect<User, UserNotFound | DatabaseError> =>
      Effect.flatMap(
        repository.findByEmail(normalizeEmail(email)),
        Option.match({
          onNone: () => Effect.fail(new UserNotFound({ message: "No user has this email address" })),
          onSome: Effect.succeed
        })
      )

    const list = (page: { readonly limit: number; readonly offset: number; readonly sort: UserSort }) => repository.list(page)

    const update = (
      id: UserId,
      changes: UpdateUser
    ): Effect.Effect<User, UserNotFound | EmailAlreadyExists | InvalidEmail | InvalidPassword | DatabaseError> =>
      Effect.gen(function*() {
        const email = changes.email === undefined ? undefined : yield* checkEmail(changes.email)
        const password = changes.password === undefined ? undefined : yield* checkPassword(changes.password)
        const updated = yield* repository.update(id, {
          ...(email !== undefined ? { email } : {}),
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(password !== undefined ? { passwordHash: yield* Passwords.hash(password) } : {})
        })
        return yield* orNotFound(id)(updated)
      })

    const setStatus = (id: UserId, status: UserStatus): Effect.Effect<User, UserNotFound | DatabaseError> =>
      Effect.flatMap(repository.setStatus(id, status), orNotFound(id))

    const remove = (id: UserId): Effect.Effect<void, UserNotFound | DatabaseError> =>
      Effect.flatMap(repository.remove(id), (removed) => removed ? Effect.void : Effect.fail(notFound(id)))

    return { create, provision, get, getByEmail, list, update, setStatus, remove } as const
  })
}) {}
