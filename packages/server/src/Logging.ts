/**
 * How an Errata server writes its logs: structured, one JSON object per line, written in batches. A log line per
 * error response is a requirement; one `write` per line to a pipe is the costliest part of an error response, so
 * lines are gathered for a few milliseconds and written together.
 *
 * @since 0.1.0
 */
import type { Duration } from "effect"
import { Effect, Layer, Logger } from "effect"

/**
 * JSON lines on stdout, written at most every `window` (default 50 ms) and when the scope closes.
 *
 * @since 0.1.0
 */
export const layerJson = (options: { readonly window?: Duration.DurationInput } = {}): Layer.Layer<never> =>
  Logger.replaceScoped(
    Logger.defaultLogger,
    Logger.jsonLogger.pipe(
      Logger.batched(options.window ?? "50 millis", (lines) =>
        Effect.sync(() => {
          process.stdout.write(lines.join("\n") + "\n")
        }))
    )
  )
