/**
 * Traces and metrics of an Errata server, exported through OpenTelemetry. Off by default: an Errata server records
 * nothing until `Telemetry.layer` is provided under it (beside `ErrataConfig`), and then:
 *
 * - each error response is recorded on the request's span — the server span `@effect/platform`'s HttpServer opens for
 *   every request — as `error.type` (the error code), `http.response.status_code` and `errata.request_id`; every
 *   response adds `http.route` (the route's template) and its request id;
 * - span status follows OpenTelemetry's HTTP conventions: a server span is an error for a 5xx and left unset for a
 *   4xx, a client span (`@effect/platform`'s HttpClient's) is an error for a 4xx or a 5xx; an HTTP span that ends
 *   well is left unset rather than marked OK;
 * - `errata.server.error_responses` counts the error responses by `error.type` and `http.response.status_code`, and
 *   `http.server.request.duration` is a histogram of request durations in seconds, by `http.request.method`,
 *   `http.route` and `http.response.status_code`.
 *
 * It needs `@effect/opentelemetry` and the OpenTelemetry SDK (`@opentelemetry/api`, `@opentelemetry/resources`,
 * `@opentelemetry/sdk-trace-base`, `@opentelemetry/sdk-trace-node`, `@opentelemetry/sdk-metrics`), which only a
 * service that exports telemetry installs: it is reached by its own path, `@errata/server/Telemetry`.
 *
 * @since 0.1.0
 */
import * as Metrics from "@effect/opentelemetry/Metrics"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as Resource from "@effect/opentelemetry/Resource"
import * as Tracer from "@effect/opentelemetry/Tracer"
import * as OtelApi from "@opentelemetry/api"
import type { Duration } from "effect"
import { Effect, Layer } from "effect"
import * as internal from "./internal/telemetry.js"

/**
 * The attributes Errata records: OpenTelemetry's names, and `errata.request_id`.
 *
 * @since 0.1.0
 * @category attributes
 */
export const attributes: typeof internal.attributes = internal.attributes

/**
 * The counter of error responses, tagged with `error.type` and `http.response.status_code`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const errorResponses: typeof internal.errorResponses = internal.errorResponses

/**
 * The histogram of request durations in seconds, tagged with `http.request.method`, `http.route` (absent for a
 * path no route serves) and `http.response.status_code`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestDuration: typeof internal.requestDuration = internal.requestDuration

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where spans go, e.g. `new BatchSpanProcessor(new OTLPTraceExporter())`. None: no tracing. */
  readonly spanProcessor?: NodeSdk.Configuration["spanProcessor"]
  /** What reads the metrics, e.g. `new PeriodicExportingMetricReader({ exporter })`. None: no metrics. */
  readonly metricReader?: NodeSdk.Configuration["metricReader"]
  /** The service, over `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly resource?: NodeSdk.Configuration["resource"]
  /** How long flushing may take when the layer is released. Default 3 seconds. */
  readonly shutdownTimeout?: Duration.DurationInput | undefined
}

/** The status codes from which an HTTP span is an error, by kind: OpenTelemetry's HTTP conventions. */
const errorFrom: Partial<Record<OtelApi.SpanKind, number>> = {
  [OtelApi.SpanKind.SERVER]: 500,
  [OtelApi.SpanKind.CLIENT]: 400
}

/**
 * A server or client span whose status is its HTTP response's: Effect marks every span that ends well OK, which the
 * conventions reserve for the application to set; the status of an HTTP span is left unset unless its response is
 * an error for its kind.
 */
class HttpSpan implements OtelApi.Span {
  private status: number | undefined
  private failed = false
  constructor(private readonly span: OtelApi.Span, private readonly errorFrom: number) {}
  spanContext() {
    return this.span.spanContext()
  }
  setAttribute(key: string, value: OtelApi.AttributeValue) {
    if (key === internal.attributes.statusCode) this.status = Number(value)
    this.span.setAttribute(key, value)
    return this
  }
  setAttributes(attributes: OtelApi.Attributes) {
    for (const key in attributes) {
      const value = attributes[key]
      if (value !== undefined) this.setAttribute(key, value)
    }
    return this
  }
  addEvent(name: string, attributesOrTime?: OtelApi.Attributes | OtelApi.TimeInput, startTime?: OtelApi.TimeInput) {
    this.span.addEvent(name, attributesOrTime, startTime)
    return this
  }
  addLink(link: OtelApi.Link) {
    this.span.addLink(link)
    return this
  }
  addLinks(links: Array<OtelApi.Link>) {
    this.span.addLinks(links)
    return this
  }
  setStatus(status: OtelApi.SpanStatus) {
    if (status.code === OtelApi.SpanStatusCode.ERROR) {
      this.failed = true
      this.span.setStatus(status)
    } else if (this.status === undefined) {
      this.span.setStatus(status)
    }
    return this
  }
  updateName(name: string) {
    this.span.updateName(name)
    return this
  }
  end(endTime?: OtelApi.TimeInput) {
    if (!this.failed && this.status !== undefined && this.status >= this.errorFrom) {
      this.span.setStatus({ code: OtelApi.SpanStatusCode.ERROR })
    }
    this.span.end(endTime)
  }
  isRecording() {
    return this.span.isRecording()
  }
  recordException(exception: OtelApi.Exception, time?: OtelApi.TimeInput) {
    this.span.recordException(exception, time)
  }
}

const withHttpStatus = (tracer: OtelApi.Tracer): OtelApi.Tracer => ({
  startSpan: (name, options, context) => {
    const span = tracer.startSpan(name, options, context)
    const from = options?.kind === undefined ? undefined : errorFrom[options.kind]
    return from === undefined ? span : new HttpSpan(span, from)
  },
  startActiveSpan: tracer.startActiveSpan.bind(tracer) as OtelApi.Tracer["startActiveSpan"]
})

const asArray = <A>(value: A | ReadonlyArray<A> | undefined): ReadonlyArray<A> =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as A]

/**
 * Traces and metrics exported through the OpenTelemetry SDK, and Errata's recording turned on: what
 * `@effect/opentelemetry`'s `NodeSdk.layer` sets up, with span status as the HTTP conventions say. Provide it under
 * the server, as its other services, so that the server's requests run with its tracer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Resource.Resource> => {
  const processors = asArray(options.spanProcessor)
  const readers = asArray(options.metricReader)
  const shutdown = options.shutdownTimeout !== undefined ? { shutdownTimeout: options.shutdownTimeout } : {}
  const httpStatusTracer = Layer.effect(Tracer.OtelTracer, Effect.map(Tracer.OtelTracer, withHttpStatus)).pipe(
    Layer.provide(Tracer.layerTracer)
  )
  const tracing = processors.length === 0 ? Layer.empty : Tracer.layerWithoutOtelTracer.pipe(
    Layer.provide(httpStatusTracer),
    Layer.provide(NodeSdk.layerTracerProvider(processors as [typeof processors[number]], shutdown))
  )
  const metrics = readers.length === 0
    ? Layer.empty
    : Metrics.layer(() => readers as [typeof readers[number]], shutdown)
  return Layer.mergeAll(tracing, metrics, Layer.succeed(internal.Enabled, true)).pipe(
    Layer.provideMerge(Resource.layerFromEnv(options.resource && Resource.configToAttributes(options.resource)))
  )
}
