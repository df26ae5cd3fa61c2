/**
 * `Idempotency-Key` on the server (IETF draft-ietf-httpapi-idempotency-key-header, as Stripe practises it). For a
 * request with an unsafe method and a key, the first request with that key (per principal) runs, and its response —
 * status, headers, body, errors included — is stored with a fingerprint of the request. A repeat with the same key
 * and the same request gets the stored response with `Idempotent-Replayed: true`; the same key while the first
 * request still runs gets 409 `conflict`; the same key with another request gets 422 `unprocessable_entity`. A key
 * longer than 255 characters, or none where the endpoint requires one (`Idempotency.required` in the contract), is
 * 400 `invalid_request`.
 *
 * Not stored, so that a retry with the same key runs again: the responses that are the caller's to fix (validation
 * failures), those a retry is meant for (429, 502, 503, 504), and requests the deadline cut short. A request with a
 * key runs to its end even when the caller hangs up, so that the retry gets its response. A record whose request
 * never finished (the process stopped) is taken over once it is older than twice the handler timeout; each claim has
 * an owner, and only its owner completes or releases it. Keys expire after 24 hours by default. Endpoints whose
 * responses carry secrets (`Idempotency.ignored` in the contract: the OAuth endpoints, say) ignore keys.
 *
 * When the store cannot be reached the request is refused with 503 `service_unavailable`: running it without the
 * store could run it twice. Stores: in memory (`layerMemory`), in the service's SQL database (`IdempotencySql`), or
 * in Redis (`IdempotencyRedis`), so that every instance sees the same keys.
 *
 * @since 0.1.0
 */
import { Context, Data, Duration, Effect, Layer } from "effect"

/**
 * A response as it is stored and replayed.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body as text, or its bytes in base64 (`base64`). */
  readonly body: string
  readonly base64?: boolean
  /** The `Set-Cookie` headers. */
  readonly cookies?: ReadonlyArray<string>
}

/**
 * What claiming a key gives: the request may run, or the first response to replay, or the first request still
 * runs, or the key was used for another request.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim =
  | { readonly _tag: "Claimed" }
  | { readonly _tag: "Replay"; readonly response: StoredResponse }
  | { readonly _tag: "Running" }
  | { readonly _tag: "Mismatch" }

/**
 * A key to claim.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClaimRequest {
  /** The principal and the key. */
  readonly scope: string
  /** Who claims: a value of the request's own, that `complete` and `release` must present. */
  readonly owner: string
  /** A hash of the request's method, path and body. */
  readonly fingerprint: string
  /** Epoch milliseconds. */
  readonly now: number
  readonly expiresAt: number
  /** A record still running that was claimed before this is taken over. */
  readonly staleBefore: number
}

/**
 * A store that could not be reached.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreError extends Data.TaggedError("StoreError")<{ readonly cause: unknown }> {}

/**
 * Where keys and responses are kept. Each operation is atomic for one scope.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  readonly claim: (request: ClaimRequest) => Effect.Effect<Claim, StoreError>
  /**
   * Keeps the response of a key its owner claimed, until `expiresAt` (epoch milliseconds; `now` is the time of
   * completion). A claim taken over by another owner is left as it is.
   */
  readonly complete: (
    scope: string,
    owner: string,
    response: StoredResponse,
    time: { readonly now: number; readonly expiresAt: number }
  ) => Effect.Effect<void, StoreError>
  /** Forgets its owner's claim, whose request ended without a response worth keeping. */
  readonly release: (scope: string, owner: string) => Effect.Effect<void, StoreError>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long a key and its response are kept. Default 24 hours. */
  readonly ttl?: Duration.DurationInput
}

/**
 * Idempotency as an Errata server applies it: provide it to `ErrataServer.layer`, as `RateLimit` is.
 *
 * @since 0.1.0
 * @category tags
 */
export class Idempotency extends Context.Tag("errata/Idempotency")<Idempotency, {
  readonly store: Store
  readonly ttl: Duration.Duration
}>() {}

/**
 * Idempotency on a store.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (store: Store, options: Options = {}): Layer.Layer<Idempotency> =>
  Layer.succeed(Idempotency, { store, ttl: Duration.decode(options.ttl ?? "24 hours") })

interface MemoryRecord {
  readonly owner: string
  readonly fingerprint: string
  readonly createdAt: number
  expiresAt: number
  response: StoredResponse | undefined
}

/**
 * A store in this process's memory: for one instance, and for tests.
 *
 * @since 0.1.0
 * @category stores
 */
export const memoryStore = (): Store => {
  const records = new Map<string, MemoryRecord>()
  return {
    claim: ({ expiresAt, fingerprint, now, owner, scope, staleBefore }) =>
      Effect.sync(() => {
        const found = records.get(scope)
        if (
          found === undefined || found.expiresAt <= now ||
          (found.response === undefined && found.createdAt < staleBefore)
        ) {
          records.set(scope, { owner, fingerprint, createdAt: now, expiresAt, response: undefined })
          return { _tag: "Claimed" } as const
        }
        if (found.fingerprint !== fingerprint) return { _tag: "Mismatch" } as const
        return found.response === undefined ? { _tag: "Running" } as const : { _tag: "Replay", response: found.response } as const
      }),
    complete: (scope, owner, response, { expiresAt }) =>
      Effect.sync(() => {
        const found = records.get(scope)
        if (found?.owner === owner) {
          found.response = response
          found.expiresAt = expiresAt
        }
      }),
    release: (scope, owner) =>
      Effect.sync(() => {
        const found = records.get(scope)
        if (found?.owner === owner && found.response === undefined) records.delete(scope)
      })
  }
}

/**
 * Idempotency with keys in this process's memory.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: Options = {}): Layer.Layer<Idempotency> =>
  Layer.suspend(() => layer(memoryStore(), options))

/**
 * A store's record, as the SQL and Redis stores keep it: a claim without a response is still running.
 *
 * @since 0.1.0
 * @category stores
 */
export const decide = (
  record: { readonly fingerprint: string; readonly response?: StoredResponse | undefined },
  fingerprint: string
): Claim =>
  record.fingerprint !== fingerprint
    ? { _tag: "Mismatch" }
    : record.response === undefined
    ? { _tag: "Running" }
    : { _tag: "Replay", response: record.response }
