import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, GoogleRpc, WireFormat } from "@errata/domain"
import { ErrataConfig } from "@errata/server"
import { ConfigProvider, Duration, Effect, Exit } from "effect"

const fromEnv = (env: Record<string, string>) =>
  ErrataConfig.config().pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("ErrataConfig from the environment", () => {
  it.effect("defaults to oauth-details, with problem details on request, 1 MiB, 30 s, debug off", () =>
    Effect.gen(function*() {
      const resolved = ErrataConfig.resolve(yield* fromEnv({}))
      assert.strictEqual(resolved.format.name, "oauth-details")
      assert.deepStrictEqual(resolved.formats.map((format) => format.name), ["oauth-details", "problem-details"])
      assert.strictEqual(resolved.maxBodyBytes, 1024 * 1024)
      assert.strictEqual(Duration.toSeconds(resolved.handlerTimeout), 30)
      assert.isFalse(resolved.debug)
    }))

  it.effect("reads every variable", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv({
        ERRATA_WIRE_FORMAT: "problem-details",
        ERRATA_PROBLEM_TYPE_BASE: "https://errors.example.com/",
        ERRATA_DEBUG: "true",
        ERRATA_MAX_BODY_BYTES: "2048",
        ERRATA_HANDLER_TIMEOUT: "5 seconds"
      })
      assert.strictEqual(options.format?.name, "problem-details")
      assert.strictEqual(options.format?.documentationBase, "https://errors.example.com/")
      assert.deepStrictEqual({ ...options, format: undefined, handlerTimeout: Duration.toSeconds(options.handlerTimeout!) }, {
        format: undefined,
        debug: true,
        maxBodyBytes: 2048,
        handlerTimeout: 5
      })
    }))

  it.effect("accepts the name of every built-in format, Google's included", () =>
    Effect.gen(function*() {
      for (const format of BuiltinFormats.all) {
        const options = yield* fromEnv({ ERRATA_WIRE_FORMAT: format.name })
        assert.strictEqual(options.format?.envelope, format.envelope)
      }
      assert.strictEqual((yield* fromEnv({ ERRATA_WIRE_FORMAT: "google-rpc" })).format?.envelope, GoogleRpc.format.envelope)
    }))

  it.effect("chooses among a record of named formats of one's own", () =>
    Effect.gen(function*() {
      const terse = WireFormat.make({ ...WireFormat.OAuthDetails.envelope, name: "terse" })
      const options = yield* ErrataConfig.config({ ...BuiltinFormats.byName, terse }).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["ERRATA_WIRE_FORMAT", "terse"]])))
      )
      assert.strictEqual(options.format?.name, "terse")
    }))

  it.effect("refuses a format it does not know", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(fromEnv({ ERRATA_WIRE_FORMAT: "xml" }))
      assert.isTrue(Exit.isFailure(exit))
    }))
})

describe("ErrataConfig.resolve", () => {
  it("answers in an alternative whose content type the request accepts, else in the default format", () => {
    const config = ErrataConfig.resolve({ format: GoogleRpc.format })
    assert.strictEqual(config.formatFor(undefined).name, "google-rpc")
    assert.strictEqual(config.formatFor("application/json").name, "google-rpc")
    assert.strictEqual(config.formatFor("application/problem+json, application/json;q=0.5").name, "problem-details")
    const only = ErrataConfig.resolve({ format: WireFormat.ProblemDetails })
    assert.deepStrictEqual(only.formats.map((format) => format.name), ["problem-details"])
  })

  it("refuses two formats sent with the same content type: a request could not ask for one of them", () => {
    assert.throws(
      () => ErrataConfig.resolve({ format: WireFormat.OAuthDetails, alternatives: [GoogleRpc.format] }),
      /two of the formats are sent as application\/json/
    )
  })
})
