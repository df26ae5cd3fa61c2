/**
 * The `Idempotency-Key` request header (IETF draft-ietf-httpapi-idempotency-key-header), as the contract declares
 * it: a client sends one key per logical request with an unsafe method, the same on every retry; a server that
 * stores responses answers a repeat with the first response. An endpoint can require a key.
 *
 * @since 0.1.0
 */
import { Context } from "effect"

/**
 * The header's name.
 *
 * @since 0.1.0
 * @category constants
 */
export const header = "Idempotency-Key"

/**
 * The longest key a server accepts.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxKeyLength = 255

/**
 * Whether an endpoint requires a key: an annotation of the endpoint (or of its group).
 *
 * @since 0.1.0
 * @category annotations
 */
export class KeyRequired extends Context.Tag("errata/Idempotency/KeyRequired")<KeyRequired, boolean>() {}

/**
 * The annotation of an endpoint that requires a key: `endpoint.annotateContext(Idempotency.required)`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const required: Context.Context<KeyRequired> = Context.make(KeyRequired, true)

/**
 * Whether an endpoint ignores keys: an annotation of the endpoint (or of its group).
 *
 * @since 0.1.0
 * @category annotations
 */
export class KeyIgnored extends Context.Tag("errata/Idempotency/KeyIgnored")<KeyIgnored, boolean>() {}

/**
 * The annotation of an endpoint whose responses must not be stored, because they carry a secret: the server runs
 * every request to it, key or not. `endpoint.annotateContext(Idempotency.ignored)`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const ignored: Context.Context<KeyIgnored> = Context.make(KeyIgnored, true)
