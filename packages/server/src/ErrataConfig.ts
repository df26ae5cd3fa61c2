/**
 * How an Errata server answers: the wire format, the body size limit, the handler timeout and debug mode. Set once,
 * when the server is built: in code with `ErrataConfig.layer`, or from the environment with `ErrataConfig.layerConfig`.
 *
 * @since 0.1.0
 */
import type { AnyCatalogError } from "@errata/domain"
import { Catalog, setStackTraceCapture, WireFormat } from "@errata/domain"
import { Config, Context, Duration, Effect, Layer } from "effect"

/**
 * @since 0.1.0
 */
export interface Options {
  /** The wire format of error responses. Default `oauth-details` (seed 004). */
  readonly wireFormat?: WireFormat.Name
  /** The errors the server knows. Default `Catalog.builtin`. */
  readonly catalog?: Catalog.Catalog<AnyCatalogError>
  /** RFC 9457 `type` base. Default `/errors/`. */
  readonly problemTypeBase?: string
  /** The largest request body accepted, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /** The deepest nesting of arrays and objects a JSON body may have. Default 64. */
  readonly maxJsonDepth?: number
  /** How long a request may take before it is answered with 504 `timeout`. Default 30 seconds. */
  readonly handlerTimeout?: Duration.DurationInput
  /** Lets a request that sends `X-Debug: true` see debug details in error bodies. Default off. */
  readonly debug?: boolean
}

/**
 * @since 0.1.0
 */
export interface Resolved {
  readonly format: WireFormat.WireFormat<AnyCatalogError>
  /** The RFC 9457 format, for requests whose `Accept` asks for `application/problem+json`. */
  readonly problemDetails: WireFormat.WireFormat<AnyCatalogError>
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
  readonly handlerTimeout: Duration.Duration
  readonly debug: boolean
}

/**
 * @since 0.1.0
 */
export class ErrataConfig extends Context.Tag("errata/ErrataConfig")<ErrataConfig, Resolved>() {}

/**
 * Resolves options to the server's configuration. Debug mode turns on stack trace capture for catalog errors, so the
 * `debug.stack_trace` of an error response shows where it was raised.
 *
 * @since 0.1.0
 */
export const resolve = (options: Options = {}): Resolved => {
  const catalog = options.catalog ?? Catalog.builtin
  const problemTypeBase = options.problemTypeBase ?? "/errors/"
  const debug = options.debug ?? false
  if (debug) setStackTraceCapture(true)
  return {
    format: WireFormat.make(options.wireFormat ?? "oauth-details", { catalog, problemTypeBase }),
    problemDetails: WireFormat.make("problem-details", { catalog, problemTypeBase }),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 64,
    handlerTimeout: Duration.decode(options.handlerTimeout ?? "30 seconds"),
    debug
  }
}

/**
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<ErrataConfig> =>
  Layer.sync(ErrataConfig, () => resolve(options))

/**
 * The configuration as environment variables describe it:
 * `ERRATA_WIRE_FORMAT` (`oauth-style` | `code-message` | `nested-error` | `oauth-details` | `problem-details`),
 * `ERRATA_DEBUG` (a boolean), `ERRATA_MAX_BODY_BYTES`, `ERRATA_HANDLER_TIMEOUT` (a duration such as `30 seconds`) and
 * `ERRATA_PROBLEM_TYPE_BASE`.
 *
 * @since 0.1.0
 */
export const options: Config.Config<Options> = Config.all({
  wireFormat: Config.literal(...WireFormat.names)("ERRATA_WIRE_FORMAT").pipe(Config.withDefault("oauth-details" as const)),
  debug: Config.boolean("ERRATA_DEBUG").pipe(Config.withDefault(false)),
  maxBodyBytes: Config.integer("ERRATA_MAX_BODY_BYTES").pipe(
    Config.validate({ message: "must be a positive number of bytes", validation: (n) => n > 0 }),
    Config.withDefault(1024 * 1024)
  ),
  handlerTimeout: Config.duration("ERRATA_HANDLER_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30))),
  problemTypeBase: Config.string("ERRATA_PROBLEM_TYPE_BASE").pipe(Config.withDefault("/errors/"))
})

/**
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<ErrataConfig, import("effect/ConfigError").ConfigError> = Layer.effect(
  ErrataConfig,
  Effect.map(options, resolve)
)
