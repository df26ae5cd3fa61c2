/**
 * The Node HTTP server an Errata server runs on, in place of `NodeHttpServer.layer`: every answer it sends is in the
 * wire format, and it stops without losing requests.
 *
 * - **Limits.** The request line (the URL included) and headers together may be at most `maxHeaderBytes` (431
 *   `request_header_fields_too_large` past it); the headers must arrive within `headersTimeout`, and the whole
 *   request, body included, within `bodyTimeout`, both counted from the request's first byte (408
 *   `request_timeout` past them, and the connection is closed).
 * - **What Node's parser refuses** — a malformed request line or header (bare CR or LF, obs-fold, NUL), both
 *   `Content-Length` and `Transfer-Encoding`, the limits above — is answered in the configured format
 *   (`ErrataConfig`) with `X-Request-ID` and `Connection: close`, and logged once, like any error response, with the
 *   parser's reason (400 `bad_request` for a malformed request).
 * - **Shutdown.** When the scope that serves the app closes (`NodeRuntime.runMain` closes it on SIGTERM and SIGINT),
 *   the server stops listening and closes its idle connections; the requests in flight get up to `shutdownGrace` to
 *   finish, with every layer the app was built on still open (its database among them), and are answered with
 *   `Connection: close`; requests that arrive meanwhile are answered 503 `service_unavailable` with
 *   `Connection: close`. What is left at the end of the grace period is answered 503 where an answer can still be
 *   written, and every connection is closed; then the layers close, and the process can exit.
 *
 * @since 0.1.0
 */
import type { Etag, HttpClient, HttpPlatform } from "@effect/platform"
import { HttpServer } from "@effect/platform"
import type { HttpServerError } from "@effect/platform"
import type { NodeContext } from "@effect/platform-node"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import type { ConfigError } from "effect"
import { Config, Duration, Effect, Layer } from "effect"
import type { ListenOptions } from "node:net"
import type * as ErrataConfig from "./ErrataConfig.js"
import * as internal from "./internal/nodeServer.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The largest request line (the URL included) and headers together, in bytes; past it, 431. Default 16 KiB. */
  readonly maxHeaderBytes?: number
  /**
   * How long a request's headers may take to arrive, from its first byte; past it, 408. Default 30 seconds, and at
   * most `bodyTimeout`.
   */
  readonly headersTimeout?: Duration.DurationInput
  /** How long a whole request, body included, may take to arrive, from its first byte; past it, 408. Default 30 seconds. */
  readonly bodyTimeout?: Duration.DurationInput
  /** On shutdown, how long the requests in flight have to finish. Default 10 seconds. */
  readonly shutdownGrace?: Duration.DurationInput
}

const positive = (name: string, value: number) => {
  if (!(value > 0)) throw new Error(`NodeServer: ${name} must be positive`)
  return value
}

const millis = (name: string, duration: Duration.DurationInput) =>
  positive(name, Duration.toMillis(Duration.decode(duration)))

const resolve = (options: Options): internal.Limits => {
  const bodyTimeout = millis("bodyTimeout", options.bodyTimeout ?? "30 seconds")
  return {
    maxHeaderBytes: positive("maxHeaderBytes", options.maxHeaderBytes ?? 16 * 1024),
    // Both count from the request's first byte: the headers cannot have longer than the whole request.
    headersTimeout: Math.min(millis("headersTimeout", options.headersTimeout ?? "30 seconds"), bodyTimeout),
    bodyTimeout,
    shutdownGrace: Duration.toMillis(Duration.decode(options.shutdownGrace ?? "10 seconds"))
  }
}

/**
 * The server's options as environment variables give them: `ERRATA_MAX_HEADER_BYTES`, `ERRATA_HEADERS_TIMEOUT`,
 * `ERRATA_BODY_TIMEOUT` and `ERRATA_SHUTDOWN_GRACE` (durations such as `30 seconds`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  maxHeaderBytes: Config.integer("ERRATA_MAX_HEADER_BYTES").pipe(
    Config.validate({ message: "must be a positive number of bytes", validation: (n) => n > 0 }),
    Config.withDefault(16 * 1024)
  ),
  headersTimeout: Config.duration("ERRATA_HEADERS_TIMEOUT").pipe(
    Config.validate({ message: "must be longer than zero", validation: (d) => Duration.toMillis(d) > 0 }),
    Config.withDefault(Duration.seconds(30))
  ),
  bodyTimeout: Config.duration("ERRATA_BODY_TIMEOUT").pipe(
    Config.validate({ message: "must be longer than zero", validation: (d) => Duration.toMillis(d) > 0 }),
    Config.withDefault(Duration.seconds(30))
  ),
  shutdownGrace: Config.duration("ERRATA_SHUTDOWN_GRACE").pipe(Config.withDefault(Duration.seconds(10)))
})

/**
 * The services `NodeHttpServer.layer` gives.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = HttpServer.HttpServer | HttpPlatform.HttpPlatform | Etag.Generator | NodeContext.NodeContext

/**
 * The server, listening on `listen` (`{ port, host }`), with `options`. Its answers are in the format of the
 * `ErrataConfig` it is given.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  listen: ListenOptions,
  options: Options = {}
): Layer.Layer<Services, HttpServerError.ServeError, ErrataConfig.ErrataConfig> =>
  Layer.merge(
    Layer.scoped(HttpServer.HttpServer, Effect.suspend(() => internal.make(listen, resolve(options)))),
    NodeHttpServer.layerContext
  )

/**
 * The server, listening where `listen` says, with the options of the environment (`config`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  listen: Config.Config.Wrap<ListenOptions>
): Layer.Layer<Services, HttpServerError.ServeError | ConfigError.ConfigError, ErrataConfig.ErrataConfig> =>
  Layer.unwrapEffect(Effect.map(Config.all([Config.unwrap(listen), config]), ([listen, options]) => layer(listen, options)))

/**
 * The server on a random loopback port, and an `HttpClient` pointed at it, as `NodeHttpServer.layerTest` gives.
 * The shutdown grace period is none unless `options` give one: a test's scope closes at once.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (
  options: Options = {}
): Layer.Layer<Services | HttpClient.HttpClient, HttpServerError.ServeError, ErrataConfig.ErrataConfig> =>
  HttpServer.layerTestClient.pipe(
    Layer.provide(NodeHttpClient.layerWithoutAgent),
    Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: false })),
    Layer.provideMerge(layer({ port: 0, host: "127.0.0.1" }, { shutdownGrace: 0, ...options }))
  )
