import { assert, describe, it } from "@effect/vitest"
import { Logging } from "@errata/server"
import { Cause, Effect, FiberId, HashMap, List, Logger, LogLevel, Tracer } from "effect"

const line = (message: unknown, options: { annotations?: Record<string, unknown>; cause?: Cause.Cause<unknown> } = {}) =>
  JSON.parse(Logging.jsonLine.log({
    fiberId: FiberId.none,
    logLevel: LogLevel.Warning,
    message: [message],
    cause: options.cause ?? Cause.empty,
    context: undefined as any,
    spans: List.empty(),
    annotations: HashMap.fromIterable(Object.entries(options.annotations ?? {})),
    date: new Date("2026-01-01T00:00:00.000Z")
  }))

describe("Logging.jsonLine", () => {
  it("writes a flat JSON object: a message object's members, then the annotations", () => {
    assert.deepStrictEqual(line({ message: "request failed", status: 404 }, { annotations: { service: "admin" } }), {
      timestamp: "2026-01-01T00:00:00.000Z",
      level: "WARN",
      message: "request failed",
      status: 404,
      service: "admin"
    })
  })

  it("keeps a text message as text, and adds the cause", () => {
    const entry = line("database failure", { cause: Cause.die(new Error("disk full")) })
    assert.strictEqual(entry.message, "database failure")
    assert.include(entry.cause, "disk full")
  })

  it("writes a line even for a value JSON cannot encode", () => {
    const circular: Record<string, unknown> = { message: "loop" }
    circular.self = circular
    assert.deepStrictEqual(line(circular), { timestamp: "2026-01-01T00:00:00.000Z", level: "WARN", message: "loop" })
  })
})

describe("Logging.spanEventLogger", () => {
  const withSpanEvents = Logger.replace(Logger.tracerLogger, Logging.spanEventLogger)
  const eventsOf = (span: Tracer.Span) => (span as unknown as { readonly events: ReadonlyArray<unknown> }).events
  const logInSpan = Effect.logWarning("request failed").pipe(Effect.zipRight(Effect.currentSpan), Effect.withSpan("request"))

  it.effect("copies log entries onto the spans of a tracer that exports them", () =>
    Effect.gen(function*() {
      const inMemory = yield* Effect.tracer
      const exported: Array<string> = []
      const exporting = Tracer.make({
        span: (...args) => Object.assign(inMemory.span(...args), { event: (name: string) => void exported.push(name) }),
        context: (f) => f()
      })
      yield* logInSpan.pipe(Effect.withTracer(exporting))
      assert.deepStrictEqual(exported, ["request failed"])
    }).pipe(Effect.provide(withSpanEvents)))

  it.effect("leaves the spans of Effect's own tracer, which nothing reads, without events", () =>
    Effect.gen(function*() {
      assert.lengthOf(eventsOf(yield* logInSpan.pipe(Effect.provide(withSpanEvents))), 0)
      // Effect's own tracer logger would have added one.
      assert.lengthOf(eventsOf(yield* logInSpan), 1)
    }))
})
