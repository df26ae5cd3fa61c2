/**
 * The identity-admin service: seed 004's identity-admin API (its users resource, for now) as an Errata server on
 * SQLite. `layer` takes its options in code (the tests use it); `layerConfig` reads them from the environment.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import type { SqlClient } from "@effect/sql"
import { ErrataConfig, ErrataServer, OpenApiDocs, RateLimit } from "@errata/server"
import * as RateLimitRedis from "@errata/server/RateLimitRedis"
import { Config, Effect, Layer, Option } from "effect"
import { AdminApi } from "./Api.js"
import * as Database from "./Database.js"
import { HandlersLive } from "./UsersHttp.js"
import { UsersRepository } from "./UsersRepository.js"

/** The options of the service, in code. */
export interface Options {
  readonly errata?: ErrataConfig.Options
  readonly database: Database.Options
  /** Requests per minute per client address; `undefined` or 0 turns rate limiting off. */
  readonly rateLimit?: number
  /** Rate-limit buckets in this Redis instead of in memory. */
  readonly redisUrl?: string
}

/**
 * The users repository on a database; a database that cannot be opened leaves the service up, answering
 * `database_error`, rather than down.
 */
export const repository = (database: Layer.Layer<SqlClient.SqlClient, unknown>): Layer.Layer<UsersRepository> =>
  UsersRepository.Default.pipe(
    Layer.provide(database),
    Layer.catchAllCause((cause) =>
      Layer.unwrapEffect(
        Effect.as(Effect.logError("database unavailable; answering database_error", cause), UsersRepository.Unavailable)
      )
    )
  )

const serve = (options: {
  readonly config: Layer.Layer<ErrataConfig.ErrataConfig, unknown>
  readonly repository: Layer.Layer<UsersRepository>
  readonly rateLimit: Layer.Layer<RateLimit.RateLimit, unknown> | undefined
}) => {
  const server = HttpApiBuilder.serve().pipe(
    HttpServer.withLogAddress,
    Layer.provide(OpenApiDocs.layer(AdminApi)),
    Layer.provide(ErrataServer.layer(AdminApi).pipe(Layer.provide(HandlersLive(options.repository))))
  )
  return options.rateLimit === undefined
    ? server.pipe(Layer.provide(options.config))
    : server.pipe(Layer.provide(options.config), Layer.provide(options.rateLimit))
}

const rateLimitLayer = (limit: number | undefined, redisUrl: string | undefined) =>
  limit === undefined || limit <= 0
    ? undefined
    : redisUrl === undefined
    ? RateLimit.layerMemory({ limit, window: "1 minute" })
    : RateLimitRedis.layer({ limit, window: "1 minute", url: redisUrl })

/** The service, as `options` configure it. */
export const layer = (options: Options) =>
  serve({
    config: ErrataConfig.layer(options.errata),
    repository: repository(Database.layer(options.database)),
    rateLimit: rateLimitLayer(options.rateLimit, options.redisUrl)
  })

/**
 * The service as the environment configures it: `ERRATA_*`, `DATABASE_URL`, `ERRATA_RATE_LIMIT` (default 600 per
 * minute per client; 0 turns it off) and `REDIS_URL`.
 */
export const layerConfig = Layer.unwrapEffect(Effect.gen(function*() {
  const limit = yield* Config.integer("ERRATA_RATE_LIMIT").pipe(Config.withDefault(600))
  const redisUrl = yield* Config.option(Config.string("REDIS_URL"))
  return serve({
    config: ErrataConfig.layerConfig(),
    repository: repository(Database.layerConfig),
    rateLimit: rateLimitLayer(limit, Option.getOrUndefined(redisUrl))
  })
}))
