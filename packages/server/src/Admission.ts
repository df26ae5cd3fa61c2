/**
 * Admission control: a bound on the requests an Errata server works on at once, and a maintenance switch. An Errata
 * server asks it first, before rate limiting and routing; a request past the bound, or any request while the
 * switch is on, gets 503 `service_unavailable` with `Retry-After` at once, without reaching a handler. The decision
 * is a counter and a flag, with no fiber or effect per request, so that turning work away costs little.
 *
 * The switch and the count are this process's: with several instances, each has its own bound, and the switch is
 * set on each instance (or at start).
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "@effect/platform"
import { Context, Duration, Effect, Layer } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Requests worked on at once; past it, 503. Default, or 0: no bound. */
  readonly maxConcurrent?: number
  /** The `Retry-After` of a request turned away by the bound. Default 1 second. */
  readonly retryAfter?: Duration.DurationInput
  /** Whether the server starts in maintenance. Default `false`. */
  readonly maintenance?: boolean
  /** The `Retry-After` of a request turned away by maintenance. Default 60 seconds. */
  readonly maintenanceRetryAfter?: Duration.DurationInput
  /**
   * Requests that are always admitted and not counted: the health checks, which must answer however busy the server
   * is. Default: `GET /health` and `GET /ready`.
   */
  readonly exempt?: (request: HttpServerRequest.HttpServerRequest) => boolean
  /**
   * Requests admitted in maintenance, though counted against the bound like any other: the way to end maintenance
   * (the switch, and whatever gives the credentials it needs). Default: none.
   */
  readonly openInMaintenance?: (request: HttpServerRequest.HttpServerRequest) => boolean
}

/**
 * What admission decided: admitted (and the request must `release` its place when done), or turned away, with the
 * delay to tell the caller.
 *
 * @since 0.1.0
 * @category models
 */
export type Ticket =
  | { readonly admitted: true; readonly release: (() => void) | undefined }
  | { readonly admitted: false; readonly reason: "overloaded" | "maintenance"; readonly retryAfter: number }

/**
 * @since 0.1.0
 * @category tags
 */
export class Admission extends Context.Tag("errata/Admission")<Admission, {
  /** Admits the request or turns it away; synchronous, for the server's hot path. */
  readonly enter: (request: HttpServerRequest.HttpServerRequest) => Ticket
  /** Requests being worked on now. */
  readonly inFlight: Effect.Effect<number>
  readonly maintenance: Effect.Effect<boolean>
  readonly setMaintenance: (on: boolean) => Effect.Effect<void>
}>() {}

const healthChecks = new Set(["/health", "/ready"])

/**
 * `GET /health` and `GET /ready`, the default exempt requests.
 *
 * @since 0.1.0
 * @category exemptions
 */
export const isHealthCheck = (request: HttpServerRequest.HttpServerRequest): boolean =>
  request.method === "GET" && healthChecks.has(request.url.split("?")[0]!)

const seconds = (duration: Duration.DurationInput) => Math.max(1, Math.ceil(Duration.toMillis(Duration.decode(duration)) / 1000))

/**
 * Admission control with `options`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Context.Tag.Service<Admission> => {
  const max = options.maxConcurrent !== undefined && options.maxConcurrent > 0
    ? options.maxConcurrent
    : Number.POSITIVE_INFINITY
  const exempt = options.exempt ?? isHealthCheck
  const openInMaintenance = options.openInMaintenance ?? (() => false)
  const overloaded: Ticket = { admitted: false, reason: "overloaded", retryAfter: seconds(options.retryAfter ?? "1 second") }
  const maintenance: Ticket = {
    admitted: false,
    reason: "maintenance",
    retryAfter: seconds(options.maintenanceRetryAfter ?? "60 seconds")
  }
  const free: Ticket = { admitted: true, release: undefined }
  let inMaintenance = options.maintenance ?? false
  let inFlight = 0
  const release = () => {
    inFlight--
  }
  const counted: Ticket = { admitted: true, release }
  return {
    enter: (request) => {
      if (exempt(request)) return free
      if (inMaintenance && !openInMaintenance(request)) return maintenance
      if (inFlight >= max) return overloaded
      inFlight++
      return counted
    },
    inFlight: Effect.sync(() => inFlight),
    maintenance: Effect.sync(() => inMaintenance),
    setMaintenance: (on) =>
      Effect.suspend(() => {
        if (on === inMaintenance) return Effect.void
        inMaintenance = on
        return Effect.logWarning(on ? "maintenance on: requests answered 503" : "maintenance off")
      })
  }
}

/**
 * Admission control for an Errata server.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Admission> => Layer.sync(Admission, () => make(options))
