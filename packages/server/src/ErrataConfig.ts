/**
 * How an Errata server answers: the wire format (and the formats a caller may ask for instead), the body size limit,
 * the handler timeout and debug mode. Set once, when the server is built: in code with `ErrataConfig.layer`, or from
 * the environment with `ErrataConfig.layerConfig`.
 *
 * @since 0.1.0
 */
import { BuiltinFormats, CatalogError, WireFormat } from "@errata/domain"
import type { ConfigError } from "effect"
import { Config, Context, Duration, Effect, Layer } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The wire format of error responses. Default `WireFormat.OAuthDetails` (seed 004). */
  readonly format?: WireFormat.Any
  /**
   * Formats a request may ask for with `Accept`, each by its content type, which must differ from the default's
   * and from one another's. Default: RFC 9457 problem details, with the default format's documentation base (none
   * when the default format is RFC 9457 itself).
   */
  readonly alternatives?: ReadonlyArray<WireFormat.Any>
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
 * @category models
 */
export interface Resolved {
  readonly format: WireFormat.Any
  readonly alternatives: ReadonlyArray<WireFormat.Any>
  /** The default format first, then the alternatives: every format the server may answer in. */
  readonly formats: ReadonlyArray<WireFormat.Any>
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
  readonly handlerTimeout: Duration.Duration
  readonly debug: boolean
  /** The format to answer a request in, by its `Accept` header. */
  readonly formatFor: (accept: string | undefined) => WireFormat.Any
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ErrataConfig extends Context.Tag("errata/ErrataConfig")<ErrataConfig, Resolved>() {}

/**
 * Resolves options to the server's configuration. Debug mode turns on stack trace capture for catalog errors, so the
 * `debug.stack_trace` of an error response shows where it was raised.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (options: Options = {}): Resolved => {
  const format = options.format ?? WireFormat.OAuthDetails
  const problemDetails = WireFormat.make(WireFormat.ProblemDetails.envelope, {
    documentationBase: format.documentationBase
  })
  const alternatives = options.alternatives ??
    (problemDetails.contentType === format.contentType ? [] : [problemDetails])
  const contentTypes = [format, ...alternatives].map((one) => one.contentType)
  const shared = contentTypes.find((contentType, i) => contentTypes.indexOf(contentType) !== i)
  if (shared !== undefined) {
    throw new Error(`ErrataConfig: two of the formats are sent as ${shared}; a request could not ask for one of them`)
  }
  const debug = options.debug ?? false
  if (debug) CatalogError.setStackTraceCapture(true)
  return {
    format,
    alternatives,
    formats: [format, ...alternatives],
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    maxJsonDepth: options.maxJsonDepth ?? 64,
    handlerTimeout: Duration.decode(options.handlerTimeout ?? "30 seconds"),
    debug,
    formatFor: alternatives.length === 0
      ? () => format
      : (accept) => {
        if (accept === undefined) return format
        const wanted = accept.toLowerCase()
        return alternatives.find((alternative) => wanted.includes(alternative.contentType)) ?? format
      }
  }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<ErrataConfig> => Layer.sync(ErrataConfig, () => resolve(options))

/**
 * The configuration as environment variables describe it:
 * `ERRATA_WIRE_FORMAT` (a format's name in `formats`, by default the built-in ones: `oauth-style`, `code-message`,
 * `nested-error`, `oauth-details`, `problem-details` or `google-rpc`), `ERRATA_PROBLEM_TYPE_BASE` (the base of each
 * error's documentation URI: RFC 9457 `type`, Google's `Help` link), `ERRATA_DEBUG` (a boolean),
 * `ERRATA_MAX_BODY_BYTES` and `ERRATA_HANDLER_TIMEOUT` (a duration such as `30 seconds`).
 *
 * @since 0.1.0
 * @category config
 */
export const config = (
  formats: Readonly<Record<string, WireFormat.Any>> = BuiltinFormats.byName
): Config.Config<Options> =>
  Config.all({
    name: Config.literal(...Object.keys(formats))("ERRATA_WIRE_FORMAT").pipe(Config.withDefault("oauth-details")),
    documentationBase: Config.string("ERRATA_PROBLEM_TYPE_BASE").pipe(Config.withDefault("/errors/")),
    debug: Config.boolean("ERRATA_DEBUG").pipe(Config.withDefault(false)),
    maxBodyBytes: Config.integer("ERRATA_MAX_BODY_BYTES").pipe(
      Config.validate({ message: "must be a positive number of bytes", validation: (n) => n > 0 }),
      Config.withDefault(1024 * 1024)
    ),
    handlerTimeout: Config.duration("ERRATA_HANDLER_TIMEOUT").pipe(Config.withDefault(Duration.seconds(30)))
  }).pipe(Config.map(({ documentationBase, name, ...rest }) => ({
    ...rest,
    format: WireFormat.make(formats[name]!.envelope, { catalog: formats[name]!.catalog, documentationBase })
  })))

/**
 * The configuration from the environment (see `config`), choosing among `formats` by name.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  formats?: Readonly<Record<string, WireFormat.Any>>
): Layer.Layer<ErrataConfig, ConfigError.ConfigError> => Layer.effect(ErrataConfig, Effect.map(config(formats), resolve))
