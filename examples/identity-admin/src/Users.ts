/**
 * The service's users: creating (by an administrator, or provisioned by another system), reading, listing,
 * updating, setting their status and deleting them, with the email and password rules that answer `invalid_email`
 * and `invalid_password`.
 */
import type { DatabaseError } from "@errata/domain/Errors"
import { EmailAlreadyExists, InvalidEmail, InvalidPassword, UserNotFound } from "@errata/domain/Errors"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { normalizeEmail } from "./Accounts.js"
import * as Passwords from "./Passwords.js"
import type { CreateUser, UpdateUser, User, UserId, UserSort, UserStatus } from "./User.js"
import { UsersRepository } from "./UsersRepository.js"

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The email, normalized, if its format is valid. */
export const checkEmail = (email: string): Effect.Effect<string, InvalidEmail> => {
  const normalized = normalizeEmail(email)
  return emailFormat.test(normalized)
    ? Effect.succeed(normalized)
    : Effect.fail(
      new InvalidEmail({
        message: "Please enter a valid email address",
        fieldErrors: [{ field: "email", message: "Please enter a valid email address", code: "invalid_format" }]
      })
    )
}

/** At least 8 characters, with a letter and a digit. */
export const checkPassword = (password: Redacted.Redacted<string>): Effect.Effect<Redacted.Redacted<string>, InvalidPassword> => {
  const value = Redacted.value(password)
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value)
    ? Effect.succeed(password)
    : Effect.fail(
      new InvalidPassword({
        message: "Password does not meet requirements",
        fieldErrors: [{
          field: "password",
          message: "must be at least 8 characters long and contain a letter and a digit",
          code: "too_weak"
        }]
      })
    )
}

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
