/**
 * Helpers for testing an Errata server over real HTTP, as Errata tests its own: `send` gives an answer's status,
 * headers and body as text; `captureLogs` records every log entry the server writes, with its structured fields,
 * so that a test can assert what was logged (and that no secret was).
 *
 * @since 0.1.0
 */
import type { HttpClientRequest } from "@effect/platform"
import { HttpClient } from "@effect/platform"
import type { Layer } from "effect"
import { Cause, Effect, HashMap, Logger } from "effect"

/**
 * An HTTP answer, read whole.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * Sends a request with the `HttpClient` of the context and reads the whole answer.
 *
 * @since 0.1.0
 * @category http
 */
export const send = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, unknown, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(request)
    return { status: response.status, headers: response.headers, body: yield* response.text }
  }).pipe(Effect.scoped)

/**
 * One log entry as `captureLogs` records it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LogEntry {
  readonly level: string
  readonly message: unknown
  /** The entry's structured fields: its annotations and the members of a message given as an object. */
  readonly annotations: Record<string, unknown>
  /** The cause, pretty-printed; empty when there is none. */
  readonly cause: string
}

/**
 * A logger, in place of the default one, that records every entry in `entries`.
 *
 * @since 0.1.0
 * @category logs
 */
export const captureLogs = (entries: Array<LogEntry>): Layer.Layer<never> =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ annotations, cause, logLevel, message }) => {
      const single = Array.isArray(message) && message.length === 1 ? message[0] : message
      const { message: text, ...fields } = typeof single === "object" && single !== null && !Array.isArray(single)
        ? single as Record<string, unknown>
        : { message: single }
      entries.push({
        level: logLevel.label,
        message: text,
        annotations: { ...fields, ...Object.fromEntries(HashMap.toEntries(annotations)) },
        cause: Cause.isEmpty(cause) ? "" : Cause.pretty(cause)
      })
    })
  )
