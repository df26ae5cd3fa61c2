/**
 * The service's traces and metrics (`@errata/server/Telemetry`), exported as the standard OpenTelemetry variables
 * say, and off when none of them asks for it:
 *
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`)
 *   turns OTLP/HTTP export (JSON) on, to that collector; the exporters read the other `OTEL_EXPORTER_OTLP_*`
 *   variables (headers, timeout) themselves, and the batch span processor `OTEL_BSP_*`;
 * - `OTEL_TRACES_EXPORTER` and `OTEL_METRICS_EXPORTER` choose the exporters: a comma-separated list of `otlp`,
 *   `console` and `none`;
 * - `OTEL_SDK_DISABLED=true` turns everything off whatever the others say;
 * - `OTEL_SERVICE_NAME` (default `identity-admin`) and `OTEL_RESOURCE_ATTRIBUTES` describe the service;
 * - `OTEL_METRIC_EXPORT_INTERVAL` and `OTEL_METRIC_EXPORT_TIMEOUT`, in milliseconds (defaults 60000 and 30000).
 */
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { ConsoleMetricExporter, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Telemetry from "@errata/server/Telemetry"
import { Config, ConfigError, Effect, Either, Layer, Option } from "effect"

export type Exporter = "otlp" | "console"

/** What the variables ask for: the exporters of traces and of metrics (none: off), and how metrics are exported. */
export interface Plan {
  readonly serviceName: string
  readonly traces: ReadonlyArray<Exporter>
  readonly metrics: ReadonlyArray<Exporter>
  readonly metricInterval: number
  readonly metricTimeout: number
}

/** `OTEL_TRACES_EXPORTER` or `OTEL_METRICS_EXPORTER`: given, its list; otherwise `otlp` where an endpoint is set. */
const exporters = (name: string, endpoints: ReadonlyArray<string>): Config.Config<ReadonlyArray<Exporter>> =>
  Config.all([
    Config.option(Config.string(name)),
    ...endpoints.map((endpoint) => Config.option(Config.nonEmptyString(endpoint)))
  ]).pipe(Config.mapOrFail(([listed, ...endpoint]) => {
    if (Option.isNone(listed)) return Either.right(endpoint.some(Option.isSome) ? ["otlp"] : [])
    const names = listed.value.split(",").map((one) => one.trim().toLowerCase())
      .filter((one) => one !== "" && one !== "none")
    const unknown = names.find((one) => one !== "otlp" && one !== "console")
    return unknown === undefined
      ? Either.right(Array.from(new Set(names as Array<Exporter>)))
      : Either.left(ConfigError.InvalidData([name], `Unknown exporter "${unknown}": one of otlp, console, none`))
  }))

/** The plan the environment gives. */
export const plan: Config.Config<Plan> = Config.all({
  disabled: Config.boolean("OTEL_SDK_DISABLED").pipe(Config.withDefault(false)),
  serviceName: Config.nonEmptyString("OTEL_SERVICE_NAME").pipe(Config.withDefault("identity-admin")),
  traces: exporters("OTEL_TRACES_EXPORTER", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]),
  metrics: exporters("OTEL_METRICS_EXPORTER", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]),
  metricInterval: Config.integer("OTEL_METRIC_EXPORT_INTERVAL").pipe(Config.withDefault(60_000)),
  metricTimeout: Config.integer("OTEL_METRIC_EXPORT_TIMEOUT").pipe(Config.withDefault(30_000))
}).pipe(Config.map(({ disabled, ...plan }) => disabled ? { ...plan, traces: [], metrics: [] } : plan))

/** Errata's telemetry with the plan's exporters; nothing when it has none. */
export const layer = (plan: Plan, serviceVersion?: string): Layer.Layer<never> => {
  if (plan.traces.length === 0 && plan.metrics.length === 0) return Layer.empty
  return Telemetry.layer({
    spanProcessor: plan.traces.map((exporter) =>
      exporter === "otlp"
        ? new BatchSpanProcessor(new OTLPTraceExporter())
        : new SimpleSpanProcessor(new ConsoleSpanExporter())
    ),
    metricReader: plan.metrics.map((exporter) =>
      new PeriodicExportingMetricReader({
        exporter: exporter === "otlp" ? new OTLPMetricExporter() : new ConsoleMetricExporter(),
        exportIntervalMillis: plan.metricInterval,
        // The reader refuses a timeout longer than the interval.
        exportTimeoutMillis: Math.min(plan.metricTimeout, plan.metricInterval)
      })
    ),
    resource: { serviceName: plan.serviceName, ...(serviceVersion !== undefined ? { serviceVersion } : {}) }
  })
}

/** Errata's telemetry as the `OTEL_*` variables configure it: off when none is set. */
export const layerConfig = (serviceVersion?: string): Layer.Layer<never, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(plan, (plan) => layer(plan, serviceVersion)))
