import { assert, describe, it } from "@effect/vitest"
import { ErrataConfig } from "@errata/server"
import { Database } from "@errata/server/reference"
import { ConfigProvider, Duration, Effect, Exit } from "effect"

const fromEnv = (env: Record<string, string>) =>
  ErrataConfig.options.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("ErrataConfig from the environment", () => {
  it.effect("defaults to oauth-details, 1 MiB, 30 s, debug off", () =>
    Effect.gen(function*() {
      const resolved = ErrataConfig.resolve(yield* fromEnv({}))
      assert.strictEqual(resolved.format.name, "oauth-details")
      assert.strictEqual(resolved.maxBodyBytes, 1024 * 1024)
      assert.strictEqual(Duration.toSeconds(resolved.handlerTimeout), 30)
      assert.isFalse(resolved.debug)
    }))

  it.effect("reads every variable", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv({
        ERRATA_WIRE_FORMAT: "problem-details",
        ERRATA_DEBUG: "true",
        ERRATA_MAX_BODY_BYTES: "2048",
        ERRATA_HANDLER_TIMEOUT: "5 seconds",
        ERRATA_PROBLEM_TYPE_BASE: "https://errors.example.com/"
      })
      assert.deepStrictEqual({ ...options, handlerTimeout: Duration.toSeconds(options.handlerTimeout!) }, {
        wireFormat: "problem-details",
        debug: true,
        maxBodyBytes: 2048,
        handlerTimeout: 5,
        problemTypeBase: "https://errors.example.com/"
      })
    }))

  it.effect("refuses a format it does not know", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(fromEnv({ ERRATA_WIRE_FORMAT: "xml" }))
      assert.isTrue(Exit.isFailure(exit))
    }))
})

describe("DATABASE_URL", () => {
  it("defaults to the embedded SQLite file, and takes file:PATH", () => {
    assert.strictEqual(Database.filenameFromUrl(undefined), "./data/errata.db")
    assert.strictEqual(Database.filenameFromUrl("file:/var/lib/errata/app.db"), "/var/lib/errata/app.db")
    assert.strictEqual(Database.filenameFromUrl("file:relative/app.db"), "relative/app.db")
    assert.throws(() => Database.filenameFromUrl("postgres://localhost/errata"), /file:PATH/)
  })
})
