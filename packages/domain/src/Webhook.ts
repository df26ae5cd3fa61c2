/**
 * Signed webhooks (seed 002's `invalid_signature`): the sender signs `timestamp.rawBody` with HMAC-SHA256 under a
 * shared secret and sends `Webhook-Signature: t=<unix seconds>,v1=<hex>` (several `v1` while secrets rotate); the
 * receiver checks the raw body against any of its active secrets, within a tolerance window against replays, before
 * anything parses the body. Both sides use the platform's Web Crypto, so they run in Node and in browsers; the
 * comparison is the platform's HMAC verification, in constant time.
 *
 * The contract's part is the `Signature` middleware an endpoint requires; a server implements it (`@errata/server`'s
 * `Webhooks.layer`) and any failure is 401 `invalid_signature`, with no hint of which part failed.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware } from "@effect/platform"
import { Effect, Redacted } from "effect"
import { InvalidSignature } from "./Errors.js"

/**
 * The header's name.
 *
 * @since 0.1.0
 * @category constants
 */
export const header = "Webhook-Signature"

/**
 * Requires a valid signature of the raw body: `HttpApiEndpoint.middleware(Webhook.Signature)`.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Signature extends HttpApiMiddleware.Tag<Signature>()("errata/WebhookSignature", {
  failure: InvalidSignature
}) {}

const encoder = new TextEncoder()

const bytesOf = (body: string | Uint8Array): Uint8Array => typeof body === "string" ? encoder.encode(body) : body

/** What is signed: the timestamp, a dot, and the body's bytes as sent. */
const signedBytes = (timestamp: number, body: string | Uint8Array): Uint8Array<ArrayBuffer> => {
  const prefix = encoder.encode(`${timestamp}.`)
  const bytes = bytesOf(body)
  const out = new Uint8Array(prefix.length + bytes.length)
  out.set(prefix)
  out.set(bytes, prefix.length)
  return out
}

const keyOf = (secret: Redacted.Redacted<string>) =>
  Effect.tryPromise(() =>
    globalThis.crypto.subtle.importKey("raw", encoder.encode(Redacted.value(secret)), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify"
    ])
  )

/** At most this many `v1` values of one header are checked: a sender rotating its secret sends two. */
const maxSignatures = 5

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("")

const fromHex = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return undefined
  return Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16))
}

/**
 * The `Webhook-Signature` value for a body sent at `timestamp` (Unix seconds).
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (
  secret: Redacted.Redacted<string>,
  body: string | Uint8Array,
  timestamp: number
): Effect.Effect<string> =>
  Effect.flatMap(Effect.orDie(keyOf(secret)), (key) =>
    Effect.promise(() => globalThis.crypto.subtle.sign("HMAC", key, signedBytes(timestamp, body))).pipe(
      Effect.map((signature) => `t=${timestamp},v1=${hex(signature)}`)
    ))

/**
 * How a receiver checks signatures.
 *
 * @since 0.1.0
 * @category verifying
 */
export interface Verification {
  /**
   * The active secrets, newest first: while a secret rotates, the old and the new are both active. With none, no
   * signature is valid.
   */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** How far the timestamp may be from now, in seconds, either way. Default 300 (5 minutes). */
  readonly toleranceSeconds?: number
}

/**
 * Whether a `Webhook-Signature` value is a valid signature of the body, by one of the secrets, with a timestamp
 * within the tolerance of `nowSeconds`.
 *
 * @since 0.1.0
 * @category verifying
 */
export const verify = (
  signature: string | undefined,
  body: string | Uint8Array,
  nowSeconds: number,
  options: Verification
): Effect.Effect<boolean> => {
  if (signature === undefined) return Effect.succeed(false)
  const parts = signature.split(",").map((part) => part.trim().split("="))
  const timestamps = parts.filter(([name]) => name === "t").map(([, value]) => value)
  const signatures = parts.filter(([name]) => name === "v1").map(([, value]) => fromHex(value ?? ""))
  const timestamp = timestamps.length === 1 && /^\d{1,12}$/.test(timestamps[0] ?? "") ? Number(timestamps[0]) : NaN
  if (Number.isNaN(timestamp) || Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) {
    return Effect.succeed(false)
  }
  const data = signedBytes(timestamp, body)
  const candidates = signatures.filter((one): one is Uint8Array<ArrayBuffer> => one !== undefined).slice(0, maxSignatures)
  return Effect.forEach(options.secrets, keyOf).pipe(
    Effect.flatMap((keys) =>
      Effect.tryPromise(async () => {
        for (const key of keys) {
          for (const candidate of candidates) {
            if (await globalThis.crypto.subtle.verify("HMAC", key, candidate, data)) return true
          }
        }
        return false
      })
    ),
    // Whatever goes wrong (an unusable secret), no signature is valid.
    Effect.orElseSucceed(() => false)
  )
}
