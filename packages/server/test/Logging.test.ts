import { assert, describe, it } from "@effect/vitest"
import { Logging } from "@errata/server"
import { Cause, FiberId, HashMap, List, LogLevel } from "effect"

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
