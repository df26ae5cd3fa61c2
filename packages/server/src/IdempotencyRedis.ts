/**
 * Idempotency keys in Redis, shared by every instance that uses the same Redis and key prefix: each claim, completion
 * and release is one Lua script, so that two instances never both hold a key. Not exported from the package root:
 * `ioredis` is an optional peer dependency, needed only here.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { Redis } from "ioredis"
import * as Idempotency from "./Idempotency.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends Idempotency.Options {
  /** `redis://[user:password@]host[:port][/db]` */
  readonly url: string
  /** The prefix of the store's keys. Default `errata:idempotency:`. */
  readonly prefix?: string
}

interface Record {
  readonly owner: string
  readonly fingerprint: string
  readonly createdAt: number
  readonly response?: Idempotency.StoredResponse
}

/**
 * A claim, in one step: the key is set when it is free, or when its record never got a response and is older than
 * `staleBefore` (its process stopped); else the record is returned. KEYS[1]: the key; ARGV: the new record, its time
 * to live in milliseconds, `staleBefore`.
 */
const claimScript = `
local found = redis.call('GET', KEYS[1])
if found then
  local record = cjson.decode(found)
  if record.response ~= nil or record.createdAt >= tonumber(ARGV[3]) then return found end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`

/**
 * Sets the response of its owner's claim or, given none, deletes the claim, in one step. KEYS[1]: the key; ARGV: the
 * owner, then (to complete) the response and the record's time to live in milliseconds.
 */
const settleScript = `
local found = redis.call('GET', KEYS[1])
if not found then return 0 end
local record = cjson.decode(found)
if record.owner ~= ARGV[1] or record.response ~= nil then return 0 end
if ARGV[2] then
  record.response = cjson.decode(ARGV[2])
  redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1`

/**
 * A store on a Redis client.
 *
 * @since 0.1.0
 * @category stores
 */
export const store = (redis: Redis, prefix = "errata:idempotency:"): Idempotency.Store => {
  const run = <A>(command: () => Promise<A>) =>
    Effect.tryPromise({ try: command, catch: (cause) => new Idempotency.StoreError({ cause }) })
  const ttl = (expiresAt: number, now: number) => String(Math.max(1, expiresAt - now))
  return {
    claim: ({ expiresAt, fingerprint, now, owner, scope, staleBefore }) => {
      const record: Record = { owner, fingerprint, createdAt: now }
      return Effect.map(
        run(() => redis.eval(claimScript, 1, prefix + scope, JSON.stringify(record), ttl(expiresAt, now), String(staleBefore))),
        (found): Idempotency.Claim =>
          typeof found === "string" ? Idempotency.decide(JSON.parse(found) as Record, fingerprint) : { _tag: "Claimed" }
      )
    },
    complete: (scope, owner, response, { expiresAt, now }) =>
      Effect.asVoid(run(() =>
        redis.eval(settleScript, 1, prefix + scope, owner, JSON.stringify(response), ttl(expiresAt, now))
      )),
    release: (scope, owner) => Effect.asVoid(run(() => redis.eval(settleScript, 1, prefix + scope, owner)))
  }
}

/**
 * Idempotency with keys in Redis. A Redis that cannot be reached refuses the requests that carry a key (503),
 * until it can be reached again.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Idempotency.Idempotency> =>
  Layer.unwrapScoped(Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true })),
      (redis) => Effect.sync(() => redis.disconnect())
    ),
    (redis) => {
      // Errors reach the commands that fail; without a listener ioredis would also print each one.
      redis.on("error", () => {})
      return Idempotency.layer(store(redis, options.prefix), options)
    }
  ))
