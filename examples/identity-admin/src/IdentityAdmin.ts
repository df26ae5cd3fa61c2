/**
 * The identity-admin service: seed 004's identity-admin API as an Errata server on SQLite or PostgreSQL (`Database`),
 * with bearer tokens and sessions, a signed provisioning webhook, and idempotent unsafe requests. `layer` takes its
 * options in code (the tests use it); `layerConfig` reads them from the environment. Instances that share one
 * PostgreSQL and one Redis (`redisUrl`) share everything: users, clients, tokens and sessions in the database, rate
 * limits and idempotency keys in Redis. On PostgreSQL a generated bootstrap secret is written under `./data/`.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { Admission, ErrataConfig, ErrataServer, Idempotency, OpenApiDocs, RateLimit } from "@errata/server"
import * as IdempotencyRedis from "@errata/server/IdempotencyRedis"
import * as IdempotencySql from "@errata/server/IdempotencySql"
import * as RateLimitRedis from "@errata/server/RateLimitRedis"
import { Config, Duration, Effect, Layer, Option, Redacted } from "effect"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Accounts } from "./Accounts.js"
import { AdminApi } from "./Api.js"
import * as Bootstrap from "./Bootstrap.js"
import { Clients } from "./Clients.js"
import { ClientsHttpLive } from "./ClientsHttp.js"
import * as Database from "./Database.js"
import { Exports } from "./Export.js"
import { Flows } from "./Flows.js"
import { FlowsHttpLive } from "./FlowsHttp.js"
import { HealthHttpLive } from "./HealthHttp.js"
import * as Jobs from "./Jobs.js"
import { ExportsHttpLive, JobsHttpLive } from "./JobsHttp.js"
import { JobsRepository } from "./JobsRepository.js"
import { MaintenanceHttpLive, openInMaintenance } from "./MaintenanceHttp.js"
import { OAuthHttpLive } from "./OAuthHttp.js"
import * as OpenTelemetry from "./OpenTelemetry.js"
import { Organizations } from "./Organizations.js"
import { OrganizationsHttpLive } from "./OrganizationsHttp.js"
import { Policies } from "./Policies.js"
import { PoliciesHttpLive } from "./PoliciesHttp.js"
import { ProvisioningHttpLive } from "./ProvisioningHttp.js"
import { Roles } from "./Roles.js"
import { RolesHttpLive } from "./RolesHttp.js"
import * as Security from "./Security.js"
import { SessionHttpLive } from "./SessionHttp.js"
import { Sessions } from "./Sessions.js"
import * as Settings from "./Settings.js"
import { Tokens } from "./Tokens.js"
import * as Upstream from "./Upstream.js"
import { UserImport } from "./UserImport.js"
import { Users } from "./Users.js"
import { UsersHttpLive } from "./UsersHttp.js"
import { UsersRepository } from "./UsersRepository.js"

/** The options of the service, in code. */
export interface Options {
  readonly errata?: ErrataConfig.Options
  readonly database: Database.Options
  readonly security?: Partial<Settings.Settings>
  /** The administrator client created on a first start; unset, its secret is generated (`Bootstrap`). */
  readonly bootstrap?: Omit<Bootstrap.Options, "file">
  /** The provisioning webhook's active secrets; none refuses every delivery. */
  readonly webhookSecrets?: ReadonlyArray<Redacted.Redacted<string>>
  /** Requests per minute per client address; `undefined` or 0 turns rate limiting off. */
  readonly rateLimit?: number
  /** Rate-limit buckets and idempotency keys in this Redis instead of the service's memory and database. */
  readonly redisUrl?: string
  /** The prefix of the service's keys in Redis; instances that share limits and keys share it. Default `errata:`. */
  readonly redisPrefix?: string
  /** How long idempotency keys are kept. Default 24 hours. */
  readonly idempotencyTtl?: Idempotency.Options["ttl"]
  /** Requests worked on at once; past it, 503 `service_unavailable`. Default: no bound. */
  readonly maxConcurrent?: number
  /** Whether the service starts in maintenance (`PUT /api/admin/maintenance` turns it off). Default `false`. */
  readonly maintenance?: boolean
  /** Where exports of the users are delivered (`Upstream`); unset, exports are not configured. */
  readonly exportUrl?: string
  /** How long an attempt to deliver an export may take; no retry starts after it. Default 10 seconds. */
  readonly upstreamTimeout?: Duration.DurationInput
  /** How this instance runs background jobs (`Jobs`). */
  readonly jobs?: Jobs.Options
}

/** Where the bootstrap client's generated secret is written: beside the SQLite file; on PostgreSQL, under `./data/`. */
export const bootstrapFile = (database: Database.Options) =>
  join(Database.isPostgres(database) ? "data" : dirname(database.filename), "bootstrap-client.env")

/** What the OpenAPI document and the docs page call the service: its name, its package's version, what it does. */
export const documentInfo = {
  title: "Identity Admin API",
  version: (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
    .version,
  description: "Users, OAuth clients, sessions, organizations, roles, policies, authentication flows and bulk jobs " +
    "(seed 004's identity-admin API). Every error is a documented catalog error, in the wire format the server is " +
    "configured with; `Accept: application/problem+json` asks for RFC 9457 instead."
}

/** The service's own services, on one database. */
const services = (
  database: Layer.Layer<SqlClient.SqlClient | Database.Migrated>,
  settings: Layer.Layer<Settings.SecuritySettings, unknown>
) =>
  Layer.mergeAll(
    Users.Default,
    Clients.Default,
    Sessions.Default,
    Tokens.Default,
    Organizations.Default,
    Roles.Default,
    Policies.Default,
    Flows.Default
  ).pipe(
    Layer.provideMerge(Layer.merge(Accounts.Default, UsersRepository.Default)),
    Layer.provideMerge(Layer.merge(database, settings))
  )

/** Background jobs and exports, on the service's services. */
const background = (options: {
  readonly exportUrl?: string | undefined
  readonly upstreamTimeout?: Duration.DurationInput | undefined
  readonly jobs?: Jobs.Options | undefined
}) =>
  Jobs.Jobs.Default.pipe(
    Layer.provide(Jobs.layer(options.jobs ?? {})),
    Layer.provideMerge(Layer.merge(Exports.Default, UserImport.Default)),
    Layer.provideMerge(Layer.merge(
      JobsRepository.Default,
      Upstream.Upstream.Default.pipe(
        Layer.provide(Upstream.layer({ exportUrl: options.exportUrl, timeout: options.upstreamTimeout }))
      )
    ))
  )

/** Every group of the API. */
export const handlers = Layer.mergeAll(
  UsersHttpLive,
  ClientsHttpLive,
  SessionHttpLive,
  ProvisioningHttpLive,
  OAuthHttpLive,
  HealthHttpLive,
  MaintenanceHttpLive,
  OrganizationsHttpLive,
  RolesHttpLive,
  PoliciesHttpLive,
  FlowsHttpLive,
  JobsHttpLive,
  ExportsHttpLive
)

const rateLimitLayer = (limit: number | undefined, redisUrl: string | undefined, redisPrefix = "errata:") =>
  limit === undefined || limit <= 0
    ? Layer.empty
    : redisUrl === undefined
    ? RateLimit.layerMemory({ limit, window: "1 minute" })
    : RateLimitRedis.layer({ limit, window: "1 minute", url: redisUrl, prefix: `${redisPrefix}ratelimit:` })

const idempotencyLayer = (redisUrl: string | undefined, ttl: Idempotency.Options["ttl"], redisPrefix = "errata:") => {
  const options = ttl === undefined ? {} : { ttl }
  return redisUrl === undefined
    ? IdempotencySql.layer(options)
    : IdempotencyRedis.layer({ ...options, url: redisUrl, prefix: `${redisPrefix}idempotency:` })
}

/**
 * What the API's handlers and the Errata server need beside their configuration: the service's services on its
 * database, authentication, the webhook check, and the bootstrap client of a first start.
 */
export const foundation = (options: {
  readonly database: Database.Options
  readonly settings: Layer.Layer<Settings.SecuritySettings, unknown>
  readonly bootstrap?: Omit<Bootstrap.Options, "file"> | undefined
  readonly webhookSecrets?: ReadonlyArray<Redacted.Redacted<string>> | undefined
  readonly exportUrl?: string | undefined
  readonly upstreamTimeout?: Duration.DurationInput | undefined
  readonly jobs?: Jobs.Options | undefined
}) =>
  Layer.mergeAll(
    Security.layer,
    Security.webhooks(options.webhookSecrets ?? []),
    background(options),
    Layer.scopedDiscard(
      Database.whenMigrated(
        "bootstrap admin client",
        Bootstrap.run({ ...options.bootstrap, file: bootstrapFile(options.database) })
      )
    )
  ).pipe(
    Layer.provideMerge(services(Database.layer(options.database), options.settings)),
    Layer.provideMerge(NodeFileSystem.layer)
  )

/** The service, from the layers of its configuration and the rest of its options. */
const serve = (
  options: Omit<Options, "errata" | "security"> & {
    readonly config: Layer.Layer<ErrataConfig.ErrataConfig, unknown>
    readonly settings: Layer.Layer<Settings.SecuritySettings, unknown>
  }
) =>
  HttpApiBuilder.serve().pipe(
    HttpServer.withLogAddress,
    Layer.provide(OpenApiDocs.layer(AdminApi, documentInfo)),
    Layer.provide(ErrataServer.layer(AdminApi).pipe(Layer.provide(handlers))),
    Layer.provide(Layer.mergeAll(
      Admission.layer({
        openInMaintenance,
        ...(options.maxConcurrent !== undefined ? { maxConcurrent: options.maxConcurrent } : {}),
        ...(options.maintenance !== undefined ? { maintenance: options.maintenance } : {})
      }),
      idempotencyLayer(options.redisUrl, options.idempotencyTtl, options.redisPrefix),
      rateLimitLayer(options.rateLimit, options.redisUrl, options.redisPrefix),
      options.config
    )),
    Layer.provide(foundation(options))
  )

/** The service, as `options` configure it. */
export const layer = (options: Options) =>
  serve({ ...options, config: ErrataConfig.layer(options.errata), settings: Settings.layer(options.security) })

/**
 * The service as the environment configures it: `ERRATA_*` (`ErrataConfig`, `Settings.layerConfig`,
 * `ERRATA_BOOTSTRAP_CLIENT_ID`, `ERRATA_BOOTSTRAP_CLIENT_SECRET`, `ERRATA_WEBHOOK_SECRETS` — comma-separated, newest
 * first — `ERRATA_IDEMPOTENCY_TTL`, `ERRATA_MAX_CONCURRENT` — default 256 requests in flight; 0 turns the bound off —
 * and `ERRATA_MAINTENANCE`), `DATABASE_URL` and the other variables of `Database.config`, `ERRATA_RATE_LIMIT`
 * (default 600 per minute per client; 0 turns it off), `REDIS_URL`, `REDIS_PREFIX` (default `errata:`),
 * `ERRATA_EXPORT_URL` (where exports are delivered) and `ERRATA_UPSTREAM_TIMEOUT` (default 10 seconds). Traces and
 * metrics are exported when the standard `OTEL_*` variables ask for it (`OpenTelemetry.layerConfig`).
 */
export const layerConfig = Layer.unwrapEffect(Effect.gen(function*() {
  const limit = yield* Config.integer("ERRATA_RATE_LIMIT").pipe(Config.withDefault(600))
  const redisUrl = Option.getOrUndefined(yield* Config.option(Config.string("REDIS_URL")))
  const redisPrefix = Option.getOrUndefined(yield* Config.option(Config.string("REDIS_PREFIX")))
  const clientId = Option.getOrUndefined(yield* Config.option(Config.string("ERRATA_BOOTSTRAP_CLIENT_ID")))
  const clientSecret = Option.getOrUndefined(yield* Config.option(Config.redacted("ERRATA_BOOTSTRAP_CLIENT_SECRET")))
  const webhookSecrets = yield* Config.array(Config.string(), "ERRATA_WEBHOOK_SECRETS").pipe(Config.withDefault([]))
  const idempotencyTtl = yield* Config.duration("ERRATA_IDEMPOTENCY_TTL").pipe(Config.withDefault(Duration.hours(24)))
  const maxConcurrent = yield* Config.integer("ERRATA_MAX_CONCURRENT").pipe(Config.withDefault(256))
  const maintenance = yield* Config.boolean("ERRATA_MAINTENANCE").pipe(Config.withDefault(false))
  const exportUrl = Option.getOrUndefined(yield* Config.option(Config.string("ERRATA_EXPORT_URL")))
  const upstreamTimeout = yield* Config.duration("ERRATA_UPSTREAM_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10)))
  return serve({
    config: ErrataConfig.layerConfig(),
    settings: Settings.layerConfig,
    database: yield* Database.config,
    bootstrap: {
      ...(clientId !== undefined ? { clientId } : {}),
      ...(clientSecret !== undefined ? { clientSecret } : {})
    },
    webhookSecrets: webhookSecrets.filter((secret) => secret !== "").map((secret) => Redacted.make(secret)),
    idempotencyTtl,
    maintenance,
    upstreamTimeout,
    ...(exportUrl !== undefined ? { exportUrl } : {}),
    ...(maxConcurrent > 0 ? { maxConcurrent } : {}),
    ...(limit > 0 ? { rateLimit: limit } : {}),
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    ...(redisPrefix !== undefined ? { redisPrefix } : {})
  }).pipe(Layer.provide(OpenTelemetry.layerConfig()))
}))
