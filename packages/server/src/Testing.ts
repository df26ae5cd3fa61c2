/**
 * Helpers for testing an Errata server over real HTTP, as Errata tests its own: `send` gives an answer's status,
 * headers and body as text; `connect` opens a connection to send raw bytes on, as a malformed or slow caller would;
 * `captureLogs` records every log entry the server writes, with its structured fields, so that a test can assert
 * what was logged (and that no secret was).
 *
 * @since 0.1.0
 */
import type { HttpClientRequest } from "@effect/platform"
import { HttpClient } from "@effect/platform"
import type { Layer, Scope } from "effect"
import { Cause, Effect, HashMap, Logger } from "effect"
import { connect as connectSocket } from "node:net"

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
 * A connection to a server, written to byte for byte.
 *
 * @since 0.1.0
 * @category models
 */
export interface Connection {
  /** Sends `data` as it is, however malformed, and waits until it is written. */
  readonly write: (data: string | Uint8Array) => Effect.Effect<void>
  /** The next answer on the connection, read whole (by its `Content-Length`); dies if the connection closes first. */
  readonly answer: Effect.Effect<Answer>
  /** Waits until the connection is closed (by the server, or reset); gives what was received and no `answer` read. */
  readonly closed: Effect.Effect<string>
}

/**
 * Opens a connection to `port` on the loopback interface, closed with the scope.
 *
 * @since 0.1.0
 * @category http
 */
export const connect = (port: number): Effect.Effect<Connection, never, Scope.Scope> =>
  Effect.gen(function*() {
    const socket = yield* Effect.acquireRelease(
      Effect.async<ReturnType<typeof connectSocket>>((resume) => {
        const socket = connectSocket(port, "127.0.0.1")
        socket.once("connect", () => resume(Effect.succeed(socket)))
        socket.once("error", (error) => resume(Effect.die(error)))
      }),
      (socket) => Effect.sync(() => socket.destroy())
    )
    let received = Buffer.alloc(0)
    let ended = false
    const waiting = new Set<() => void>()
    const changed = () => {
      for (const check of waiting) check()
    }
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      changed()
    })
    // A reset shows as the connection closing.
    socket.on("error", () => {})
    socket.on("close", () => {
      ended = true
      changed()
    })
    /** What `take` finds in what was received, once it does, or `undefined` once the connection has closed. */
    const receive = <A>(take: () => A | undefined) =>
      Effect.async<A | undefined>((resume) => {
        const check = () => {
          const found = take()
          if (found === undefined && !ended) return
          waiting.delete(check)
          resume(Effect.succeed(found))
        }
        waiting.add(check)
        check()
        return Effect.sync(() => void waiting.delete(check))
      })
    const nextAnswer = (): Answer | undefined => {
      const end = received.indexOf("\r\n\r\n")
      if (end === -1) return undefined
      const [statusLine = "", ...lines] = received.subarray(0, end).toString("latin1").split("\r\n")
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(":")
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const length = Number(headers["content-length"] ?? 0)
      if (received.length < end + 4 + length) return undefined
      const body = received.subarray(end + 4, end + 4 + length).toString("utf8")
      received = received.subarray(end + 4 + length)
      return { status: Number(statusLine.split(" ")[1]), headers, body }
    }
    return {
      write: (data) => Effect.async<void>((resume) => void socket.write(data, () => resume(Effect.void))),
      answer: Effect.flatMap(
        receive(nextAnswer),
        (answer) =>
          answer === undefined
            ? Effect.dieMessage(`the connection closed before a whole answer: ${JSON.stringify(received.toString())}`)
            : Effect.succeed(answer)
      ),
      closed: Effect.map(receive(() => ended ? true : undefined), () => received.toString())
    }
  })

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
