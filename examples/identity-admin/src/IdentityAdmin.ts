/**
 * The reference service: seed 004's identity-admin API (its users resource, for now) as an Errata server on SQLite.
 * `layer` takes its options in code (the tests use it); `layerConfig` reads them from the environment.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import type { SqlClient } from "@effect/sql"
import { AdminApi } from "@errata/domain"
import { Config, Effect, Layer, Option } from "effect"
import * as ErrataConfig from "../ErrataConfig.js"
import * as ErrataServer from "../ErrataServer.js"
import * as OpenApiDocs from "../OpenApiDocs.js"
import * as RateLimit from "../RateLimit.js"
import * as Database from "./Database.js"
import { AdminApiLive } from "./UsersHttp.js"
import { UsersRepository } from "./UsersRepository.js"

/**
 * @since 0.1.0
 */
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
 *
 * @since 0.1.0
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
    Layer.provide(ErrataServer.layer),
    Layer.provide(OpenApiDocs.layer(AdminApi)),
    Layer.provide(AdminApiLive(options.repository))
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
    : RateLimit.layerRedis({ limit, window: "1 minute", url: redisUrl })

/**
 * @since 0.1.0
 */
export const layer = (options: Options) =>
  serve({
    config: ErrataConfig.layer(options.errata),
    repository: repository(Database.layer(options.database)),
    rateLimit: rateLimitLayer(options.rateLimit, options.redisUrl)
  })

/**
 * The service as the environment configures it: `ERRATA_*`, `DATABASE_URL`, `ERRATA_RATE_LIMIT` (default 600 per
 * minute per client; 0 turns it off) and `REDIS_URL`.
 *
 * @since 0.1.0
 */
export const layerConfig = Layer.unwrapEffect(Effect.gen(function*() {
  const limit = yield* Config.integer("ERRATA_RATE_LIMIT").pipe(Config.withDefault(600))
  const redisUrl = yield* Config.option(Config.string("REDIS_URL"))
  return serve({
    config: ErrataConfig.layerConfig,
    repository: repository(Database.layerConfig),
    rateLimit: rateLimitLayer(limit, Option.getOrUndefined(redisUrl))
  })
}))
