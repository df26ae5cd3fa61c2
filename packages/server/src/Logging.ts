/**
 * How an Errata server writes its logs: structured, one flat JSON object per line
 * (`{"timestamp","level","message",…annotations,"cause"?}`), written in batches. Every error response is logged, so
 * the line is built directly with `JSON.stringify` (Effect's `jsonLogger` walks every value for cycles first) and
 * lines are gathered for a few milliseconds and written together.
 *
 * @since 0.1.0
 */
import type { Duration } from "effect"
import { Cause, Context, DefaultServices, Effect, FiberRefs, Layer, Logger, Tracer } from "effect"

const isFields = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && Object.getPrototypeOf(u) === Object.prototype

/**
 * One JSON line per log entry: timestamp, level, message, the annotations as members, and the cause when there is one.
 * A message that is a plain object is spread into the line: `Effect.logWarning({ message: "request failed", status })`
 * gives the same line as annotations would, without `Effect.annotateLogs` setting a fiber-local map per key.
 *
 * @since 0.1.0
 * @category loggers
 */
export const jsonLine: Logger.Logger<unknown, string> = Logger.make(({ annotations, cause, date, logLevel, message }) => {
  const parts = Array.isArray(message) ? message : [message]
  const single = parts.length === 1 ? parts[0] : parts
  const entry: Record<string, unknown> = { timestamp: date.toISOString(), level: logLevel.label }
  if (isFields(single)) Object.assign(entry, single)
  else entry.message = single
  for (const [key, value] of annotations) entry[key] = value
  if (!Cause.isEmpty(cause)) entry.cause = Cause.pretty(cause, { renderErrorCause: true })
  try {
    return JSON.stringify(entry)
  } catch {
    return JSON.stringify({ timestamp: entry.timestamp, level: entry.level, message: String(entry.message) })
  }
})

/** Effect's own tracer, in place when no other is installed: it keeps spans in memory and exports nothing. */
const inMemoryTracer = Effect.runSync(Effect.tracer)

/**
 * `Logger.tracerLogger`, which copies every log entry onto the current span as an event, but only when a tracer
 * that exports spans is installed (`Layer.setTracer`, e.g. OpenTelemetry's): nothing reads the events on the spans
 * of Effect's own tracer, and copying them stringifies each line a second time.
 *
 * @since 0.1.0
 * @category loggers
 */
export const spanEventLogger: Logger.Logger<unknown, void> = Logger.make((options) => {
  const tracer = Context.get(FiberRefs.getOrDefault(options.context, DefaultServices.currentServices), Tracer.Tracer)
  if (tracer !== inMemoryTracer) Logger.tracerLogger.log(options)
})

/**
 * JSON lines on stdout, written at most every `window` (default 50 ms) and when the scope closes. They replace
 * Effect's default logger and the pretty logger `NodeRuntime.runMain` puts in its place, so each entry is written once;
 * log entries become span events only when traces are exported (see `spanEventLogger`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerJson = (options: { readonly window?: Duration.DurationInput } = {}): Layer.Layer<never> =>
  // In sequence, as Logger.replaceScoped does: each step restores the loggers it found when the scope closes, so a
  // failure to start is still reported by runMain's logger (two steps merged side by side left none).
  Logger.remove(Logger.prettyLoggerDefault).pipe(
    Layer.flatMap(() => Logger.replace(Logger.tracerLogger, spanEventLogger)),
    Layer.flatMap(() =>
      Logger.replaceScoped(
        Logger.defaultLogger,
        jsonLine.pipe(
          Logger.batched(options.window ?? "50 millis", (lines) =>
            Effect.sync(() => {
              process.stdout.write(lines.join("\n") + "\n")
            }))
        )
      )
    )
  )
