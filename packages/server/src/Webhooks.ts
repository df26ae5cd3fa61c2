/**
 * The server's side of `Webhook.Signature` (the contract's middleware): an endpoint that requires it gets its raw
 * body checked against `Webhook-Signature` before HttpApi parses it — HMAC-SHA256 of `timestamp.rawBody` under one
 * of the active secrets, within the tolerance window — and any failure is 401 `invalid_signature`, the same answer
 * whatever failed.
 *
 * @since 0.1.0
 */
import { HttpServerRequest } from "@effect/platform"
import { Webhook } from "@errata/domain"
import { InvalidSignature } from "@errata/domain/Errors"
import { Clock, Effect, Layer } from "effect"

/**
 * The `Webhook.Signature` middleware, checking signatures with these secrets.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Webhook.Verification): Layer.Layer<Webhook.Signature> =>
  Layer.succeed(
    Webhook.Signature,
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const invalid = new InvalidSignature({ message: "The webhook signature is not valid" })
      // HttpApi reads the body from the same cached text afterwards, once the signature has been checked.
      const body = yield* Effect.orElseFail(request.text, () => invalid)
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      const valid = yield* Webhook.verify(request.headers[Webhook.header.toLowerCase()], body, now, options)
      if (!valid) return yield* Effect.fail(invalid)
    })
  )
