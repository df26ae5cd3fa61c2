/**
 * Sending signed webhooks (the sender's side of `Webhook`): `sign` adds `Webhook-Signature` to a request whose
 * body is in memory, signed with HMAC-SHA256 over `timestamp.body` under a shared secret.
 *
 * @since 0.1.0
 */
import type { HttpClientRequest } from "@effect/platform"
import { HttpClientRequest as Requests } from "@effect/platform"
import { Webhook } from "@errata/domain"
import type { Redacted } from "effect"
import { Clock, Effect } from "effect"

/**
 * The request with its `Webhook-Signature`, signed now (or at `timestamp`, Unix seconds). A body that is not in
 * memory (a stream, a form) cannot be signed: the request is left as it is, unsigned, and the receiver refuses it.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (
  request: HttpClientRequest.HttpClientRequest,
  secret: Redacted.Redacted<string>,
  timestamp?: number
): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
  Effect.gen(function*() {
    const body = request.body._tag === "Uint8Array"
      ? request.body.body
      : request.body._tag === "Raw" && typeof request.body.body === "string"
      ? request.body.body
      : request.body._tag === "Empty"
      ? ""
      : undefined
    if (body === undefined) return request
    const at = timestamp ?? Math.floor((yield* Clock.currentTimeMillis) / 1000)
    return Requests.setHeader(request, Webhook.header, yield* Webhook.sign(secret, body, at))
  })
