/**
 * Passwords and client secrets at rest: scrypt with a random salt per secret, compared in constant time.
 */
import { Effect, Redacted } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"

const derive = (secret: string, salt: Buffer) =>
  Effect.async<Buffer>((resume) => {
    scrypt(secret, salt, 32, (error, key) => resume(error ? Effect.die(error) : Effect.succeed(key)))
  })

/** The stored form of a secret: `scrypt$<salt>$<key>`. */
export const hash = (secret: Redacted.Redacted<string>): Effect.Effect<string> => {
  const salt = randomBytes(16)
  return Effect.map(derive(Redacted.value(secret), salt), (key) => `scrypt$${salt.toString("base64")}$${key.toString("base64")}`)
}

/** Whether a secret matches its stored form, in time that does not depend on where they differ. */
export const verify = (secret: Redacted.Redacted<string>, stored: string): Effect.Effect<boolean> => {
  const [scheme, salt, key] = stored.split("$")
  if (scheme !== "scrypt" || salt === undefined || key === undefined) return Effect.succeed(false)
  const expected = Buffer.from(key, "base64")
  return Effect.map(derive(Redacted.value(secret), Buffer.from(salt, "base64")), (derived) =>
    derived.length === expected.length && timingSafeEqual(derived, expected))
}

/** A stored form nobody's secret matches, to spend the same time when there is nothing to compare with. */
export const unmatchable = "scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
