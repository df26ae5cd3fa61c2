import { assert, describe, it } from "@effect/vitest"
import { Webhook } from "@errata/domain"
import { Effect, FastCheck as fc, Redacted } from "effect"

const secret = Redacted.make("whsec_property")
const options: Webhook.Verification = { secrets: [secret] }
const now = 1_700_000_000

describe("Webhook.sign and Webhook.verify", () => {
  it.effect.prop(
    "a body signed with an active secret verifies, as text or as its bytes",
    { body: fc.string({ unit: "grapheme" }), skew: fc.integer({ min: -300, max: 300 }) },
    ({ body, skew }) =>
      Effect.gen(function*() {
        const signature = yield* Webhook.sign(secret, body, now + skew)
        assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/)
        assert.isTrue(yield* Webhook.verify(signature, body, now, options))
        assert.isTrue(yield* Webhook.verify(signature, new TextEncoder().encode(body), now, options))
      }),
    { fastCheck: { numRuns: 50 } }
  )

  it.effect.prop(
    "any change to the body's bytes, the timestamp or the secret fails",
    { body: fc.uint8Array({ minLength: 1, maxLength: 200 }), at: fc.nat(), bit: fc.nat() },
    ({ at, bit, body }) =>
      Effect.gen(function*() {
        const signature = yield* Webhook.sign(secret, body, now)
        const changed = Uint8Array.from(body)
        changed[at % changed.length]! ^= 1 << (bit % 8)
        assert.isFalse(yield* Webhook.verify(signature, changed, now, options))
        const [, v1] = signature.split(",")
        assert.isFalse(yield* Webhook.verify(`t=${now + 1},${v1}`, body, now, options))
        assert.isFalse(yield* Webhook.verify(signature, body, now, { secrets: [Redacted.make("whsec_other")] }))
      }),
    { fastCheck: { numRuns: 50 } }
  )

  it.effect("refuses a timestamp outside the tolerance, and verifies nothing without a secret", () =>
    Effect.gen(function*() {
      const signature = yield* Webhook.sign(secret, "{}", now)
      assert.isFalse(yield* Webhook.verify(signature, "{}", now + 301, options))
      assert.isTrue(yield* Webhook.verify(signature, "{}", now + 60, { ...options, toleranceSeconds: 60 }))
      assert.isFalse(yield* Webhook.verify(signature, "{}", now + 61, { ...options, toleranceSeconds: 60 }))
      assert.isFalse(yield* Webhook.verify(signature, "{}", now, { secrets: [] }))
      assert.isFalse(yield* Webhook.verify(undefined, "{}", now, options))
    }))
})
