import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Webhook, WireFormat } from "@errata/domain"
import { InvalidJson, InvalidSignature } from "@errata/domain/Errors"
import { Testing } from "@errata/server"
import { Effect, Layer, Redacted } from "effect"
import { Directory, secureServer, webhookSecrets } from "./fixtures/SecureServer.js"

const [newSecret, oldSecret] = webhookSecrets as [Redacted.Redacted<string>, Redacted.Redacted<string>]
const body = JSON.stringify({ event: "user.created" })
const nowSeconds = () => Math.floor(Date.now() / 1000)

const hook = (text: string, signature: string | undefined) => {
  const request = HttpClientRequest.post("/hooks").pipe(HttpClientRequest.bodyText(text, "application/json"))
  return signature === undefined ? request : request.pipe(HttpClientRequest.setHeader("webhook-signature", signature))
}

/** The answer's body without its request id: every refusal must be the same, whatever failed. */
const withoutRequestId = (answer: Testing.Answer) => {
  const { request_id: _, ...rest } = JSON.parse(answer.body)
  return rest
}

describe("Webhooks: signature of the raw body (HMAC-SHA256 over timestamp.body)", () => {
  it.scopedLive("takes a body signed by any active secret within the tolerance window", () =>
    Effect.gen(function*() {
      const server = yield* Layer.build(secureServer(new Directory()))
      for (const secret of [newSecret, oldSecret]) {
        for (const skew of [0, -299, 299]) {
          const signature = yield* Webhook.sign(secret, body, nowSeconds() + skew)
          const answer = yield* Testing.send(hook(body, signature)).pipe(Effect.provide(server))
          assert.strictEqual(answer.status, 200, `skew ${skew}`)
          assert.deepStrictEqual(JSON.parse(answer.body), { received: "user.created" })
        }
      }
      // While a secret rotates a sender may sign with both: one valid v1 is enough.
      const wrong = yield* Webhook.sign(Redacted.make("whsec_wrong"), body, nowSeconds())
      const right = yield* Webhook.sign(newSecret, body, nowSeconds())
      const both = `${right},v1=${wrong.split("v1=")[1]}`
      assert.strictEqual((yield* Testing.send(hook(body, both)).pipe(Effect.provide(server))).status, 200)
    }))

  it.scopedLive("refuses, with the same 401 invalid_signature whatever failed, a wrong secret, a stale or future timestamp, a changed body, a retired secret, a malformed header", () =>
    Effect.gen(function*() {
      const server = yield* Layer.build(secureServer(new Directory()))
      // After the rotation: only the new secret is active.
      const rotated = yield* Layer.build(secureServer(new Directory(), { webhookSecrets: [newSecret] }))
      const now = nowSeconds()
      const cases: ReadonlyArray<readonly [string, string, string | undefined, typeof server]> = [
        ["wrong secret", body, yield* Webhook.sign(Redacted.make("whsec_wrong"), body, now), server],
        ["stale timestamp", body, yield* Webhook.sign(newSecret, body, now - 301), server],
        ["future timestamp", body, yield* Webhook.sign(newSecret, body, now + 301), server],
        ["changed body", JSON.stringify({ event: "user.deleted" }), yield* Webhook.sign(newSecret, body, now), server],
        ["retired secret", body, yield* Webhook.sign(oldSecret, body, now), rotated],
        ["no signature", body, undefined, server],
        ["no timestamp", body, (yield* Webhook.sign(newSecret, body, now)).replace(/^t=\d+,/, ""), server],
        ["two timestamps", body, `t=${now},${yield* Webhook.sign(newSecret, body, now)}`, server],
        ["not hex", body, `t=${now},v1=zz`, server],
        // At most five signatures are checked: a header cannot make the receiver compute a MAC per value it lists.
        ["the right signature sixth", body, `t=${now},${"v1=00,".repeat(5)}v1=${(yield* Webhook.sign(newSecret, body, now)).split("v1=")[1]}`, server]
      ]
      const refusals: Array<unknown> = []
      for (const [name, text, signature, instance] of cases) {
        const answer = yield* Testing.send(hook(text, signature)).pipe(Effect.provide(instance))
        assert.strictEqual(answer.status, 401, name)
        assert.instanceOf(WireFormat.OAuthDetails.decode(answer), InvalidSignature, name)
        refusals.push(withoutRequestId(answer))
      }
      assert.strictEqual(new Set(refusals.map((refusal) => JSON.stringify(refusal))).size, 1)
    }))

  it.scopedLive("verifies the raw body before anything parses it: a body that is not JSON is refused for its signature first", () =>
    Effect.gen(function*() {
      const server = yield* Layer.build(secureServer(new Directory()))
      const broken = "{\"event\": "
      const unsigned = yield* Testing.send(hook(broken, `t=${nowSeconds()},v1=00`)).pipe(Effect.provide(server))
      assert.instanceOf(WireFormat.OAuthDetails.decode(unsigned), InvalidSignature)
      const signed = yield* Testing.send(hook(broken, yield* Webhook.sign(newSecret, broken, nowSeconds()))).pipe(
        Effect.provide(server)
      )
      assert.instanceOf(WireFormat.OAuthDetails.decode(signed), InvalidJson)
    }))
})
