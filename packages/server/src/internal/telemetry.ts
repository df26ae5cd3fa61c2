/**
 * What an Errata server records of its requests when telemetry is on: attributes on the request's span (the one
 * `@effect/platform`'s HttpServer opens per request), the error counter and the duration histogram. Off, the
 * middleware records nothing: `@errata/server/Telemetry` turns it on with the exporters.
 */
import type { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Context, Effect, Metric, MetricBoundaries, MetricLabel } from "effect"

/** The attribute names, OpenTelemetry's where it has one. */
export const attributes = {
  errorType: "error.type",
  statusCode: "http.response.status_code",
  method: "http.request.method",
  route: "http.route",
  requestId: "errata.request_id"
} as const

/** Whether telemetry is on: off unless `Telemetry.layer` says so. */
export class Enabled extends Context.Reference<Enabled>()("errata/Telemetry/Enabled", { defaultValue: () => false }) {}

export const errorResponses = Metric.counter("errata.server.error_responses", {
  description: "Error responses sent, by error code (error.type) and status (http.response.status_code)",
  incremental: true
})

/** OpenTelemetry's `http.server.request.duration`, with the boundaries its HTTP conventions advise. */
export const requestDuration = Metric.histogram(
  "http.server.request.duration",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]),
  "Duration of HTTP server requests in seconds, by method, route (none for a path no route serves) and status"
)

/** An error response, on the request's span and in the counter. */
export const failed = (code: string, status: number, requestId: string): Effect.Effect<void> =>
  Effect.zipRight(
    Effect.annotateCurrentSpan({
      [attributes.errorType]: code,
      [attributes.statusCode]: status,
      [attributes.requestId]: requestId
    }),
    Metric.increment(Metric.taggedWithLabels(errorResponses, [
      MetricLabel.make(attributes.errorType, code),
      MetricLabel.make(attributes.statusCode, String(status))
    ]))
  )

/**
 * An error response the HTTP server wrote itself, outside any request's fiber (a request Node's parser refused, or
 * one answered at the end of the shutdown grace period): a server span of its own, named as the platform names its
 * request spans, and the counter. Nothing when telemetry is off.
 */
export const answeredOutside = (
  code: string,
  status: number,
  requestId: string,
  method: string | undefined
): Effect.Effect<void> =>
  Effect.whenEffect(
    Effect.withSpan(failed(code, status, requestId), `http.server ${method ?? "HTTP"}`, {
      kind: "server",
      attributes: method !== undefined ? { [attributes.method]: method } : {}
    }),
    Enabled
  ).pipe(Effect.asVoid)

/**
 * A request's response, timed: its duration in the histogram, its route and request id on the span. `routeOf` gives
 * the template of the route that serves the request (`/users/:id`), not the path, so that series stay few.
 */
export const measured = <E, R>(
  served: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  request: HttpServerRequest.HttpServerRequest,
  routeOf: (method: string, url: string) => string | undefined
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R> =>
  Effect.flatMap(Clock.currentTimeNanos, (start) =>
    Effect.tap(served, (response) =>
      Effect.flatMap(Clock.currentTimeNanos, (end) => {
        const route = routeOf(request.method, request.url)
        const requestId = response.headers["x-request-id"]
        const labels = [
          MetricLabel.make(attributes.method, request.method),
          MetricLabel.make(attributes.statusCode, String(response.status))
        ]
        if (route !== undefined) labels.push(MetricLabel.make(attributes.route, route))
        return Effect.zipRight(
          Effect.annotateCurrentSpan({
            ...(route !== undefined ? { [attributes.route]: route } : {}),
            ...(requestId !== undefined ? { [attributes.requestId]: requestId } : {})
          }),
          Metric.update(Metric.taggedWithLabels(requestDuration, labels), Number(end - start) / 1e9)
        )
      })))
