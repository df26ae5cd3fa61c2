/**
 * The service's users: creating, reading, listing, updating and deleting them, with the email and
 * password rules that answer `invalid_email` and `invalid_password`.
 */
import type { DatabaseError } from "@errata/domain/Errors"
import { EmailAlreadyExists, InvalidEmail, InvalidPassword, UserNotFound } from "@errata/domain/Errors"
import { Effect, Option, Redacted } from "effect"
import { randomBytes, randomUUID, scrypt } from "node:crypto"
import type { CreateUser, UpdateUser, User, UserId } from "./User.js"
import { UsersRepository } from "./UsersRepository.js"

const emailFormat = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const checkEmail = (email: string): Effect.Effect<string, InvalidEmail> => {
  const normalized = email.trim().toLowerCase()
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
const checkPassword = (password: Redacted.Redacted<string>): Effect.Effect<string, InvalidPassword> => {
  const value = Redacted.value(password)
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value)
    ? Effect.succeed(value)
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

const hashPassword = (password: string): Effect.Effect<string> =>
  Effect.async<string>((resume) => {
    const salt = randomBytes(16)
    scrypt(password, salt, 32, (error, key) => {
      if (error) resume(Effect.die(error))
      else resume(Effect.succeed(`scrypt$${salt.toString("base64")}$${key.toString("base64")}`))
    })
  })

const notFound = (id: UserId) => new UserNotFound({ message: "The specified user was not found", userId: id })

/** The users of the service, with their rules. */
export class Users extends Effect.Service<Users>()("identity-admin/Users", {
  effect: Effect.gen(function*() {
    const repository = yield* UsersRepository

    const create = (input: CreateUser): Effect.Effect<User, EmailAlreadyExists | InvalidEmail | InvalidPassword | DatabaseError> =>
      Effect.gen(function*() {
        const email = yield* checkEmail(input.email)
        const password = yield* checkPassword(input.password)
        return yield* repository.insert({
          id: `usr_${randomUUID().replace(/-/g, "")}` as UserId,
          email,
          name: input.name,
          passwordHash: yield* hashPassword(password)
        })
      })

    const get = (id: UserId): Effect.Effect<User, UserNotFound | DatabaseError> =>
      Effect.flatMap(repository.findById(id), Option.match({
        onNone: () => Effect.fail(notFound(id)),
        onSome: Effect.succeed
      }))

    const list = (page: { readonly limit: number; readonly offset: number }) => repository.list(page)

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
          ...(password !== undefined ? { passwordHash: yield* hashPassword(password) } : {})
        })
        return yield* Option.match(updated, { onNone: () => Effect.fail(notFound(id)), onSome: Effect.succeed })
      })

    const remove = (id: UserId): Effect.Effect<void, UserNotFound | DatabaseError> =>
      Effect.flatMap(repository.remove(id), (removed) => removed ? Effect.void : Effect.fail(notFound(id)))

    return { create, get, list, update, remove } as const
  })
}) {}
