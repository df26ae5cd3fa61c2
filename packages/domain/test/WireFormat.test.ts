import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, Catalog, CatalogError, UnknownApiError, WireFormat } from "@errata/domain"
import { BadRequest, NotFound, RateLimitExceeded, UserNotFound, ValidationError } from "@errata/domain/Errors"
import * as Testing from "@errata/domain/Testing"
import { DateTime, FastCheck as fc, Predicate, Schema } from "effect"

describe("WireFormat round trip (Testing.roundTrip)", () => {
  for (const format of BuiltinFormats.all) {
    describe(format.name, () => {
      for (const cls of Catalog.builtin.errors) {
        it(`${cls.metadata.tag} survives encode → decode`, () => fc.assert(Testing.roundTrip(format, cls), { numRuns: 40 }))
      }

      it("survives a transfer as bytes, with header names in any case", () => {
        const error = new RateLimitExceeded({ retryAfter: 30, requestId: "req_abc123xyz" })
        const response = format.encode(error)
        const shouting = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toUpperCase(), [v]]))
        const decoded = format.decode({
          status: response.status,
          headers: shouting,
          body: new TextEncoder().encode(response.body)
        })
        assert.instanceOf(decoded, RateLimitExceeded)
        assert.strictEqual(decoded.retryAfter, 30)
        assert.strictEqual(decoded.requestId, "req_abc123xyz")
      })

      it("describes what encode writes (Testing.jsonSchemaDescribesEncode)", () => Testing.assertJsonSchema(format))

      it("never throws, whatever the response (Testing.decodeIsTotal)", () => Testing.assertTotal(format, { numRuns: 1000 }))
    })
  }

  it("keeps a field named __proto__ a field in keyed formats", () => {
    const error = new ValidationError({ fieldErrors: [{ field: "__proto__", message: "polluted?" }] })
    for (const format of BuiltinFormats.all) {
      const decoded = format.decode(format.encode(error))
      assert.instanceOf(decoded, ValidationError)
      assert.deepStrictEqual(decoded.fieldErrors, [{ field: "__proto__", message: "polluted?" }], format.name)
      assert.strictEqual(({} as any).message, undefined)
    }
  })

  it("survives deep nesting and a huge body", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000)
    const huge = new NotFound({ message: "x".repeat(5_000_000) })
    for (const format of BuiltinFormats.all) {
      assert.instanceOf(format.decode({ status: 400, body: deep }), UnknownApiError.UnknownApiError)
      const decoded = format.decode(format.encode(huge))
      assert.instanceOf(decoded, NotFound)
      assert.strictEqual(decoded.message.length, 5_000_000)
    }
  })
})

describe("WireFormat.detect", () => {
  const detecting = WireFormat.detect(BuiltinFormats.all)

  it.prop("recognises every built-in format by its own envelope's rule", { error: ValidationError }, ({ error }) => {
    for (const format of BuiltinFormats.all) {
      const decoded = detecting.decode(format.encode(error))
      assert.instanceOf(decoded, ValidationError, format.name)
      assert.deepStrictEqual(Testing.carried(format, decoded), Testing.carried(format, error))
    }
  }, { fastCheck: { numRuns: 30 } })

  it("takes every class sent in each format for that format's, and no other's (Testing.detectRoundTrip)", () =>
    Testing.assertDetects(detecting))

  it("answers UnknownApiError for what no format recognises, naming the formats it tried", () => {
    for (const body of ["<html>", "", "{}", "[1]", "{\"message\": \"x\"}"]) {
      const decoded = detecting.decode({ status: 502, body })
      assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
    }
    assert.include(detecting.decode({ status: 502, body: "{}" }).message, "any of the formats problem-details, google-rpc")
  })

  it("takes a body with a member named like a problem's for its own dialect, not for a problem", () => {
    const error = new ValidationError({ fieldErrors: [{ field: "name", message: "name is required", code: "required" }] })
    const body = { ...JSON.parse(WireFormat.CodeMessage.encode(error).body), type: "validation", title: "Invalid" }
    const decoded = detecting.decode({ status: 422, headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    assert.instanceOf(decoded, ValidationError)
    assert.deepStrictEqual(decoded.fieldErrors, [{ field: "name", message: "name is required", code: "required" }])
  })

  it("never throws, whatever the response", () => Testing.assertTotal(detecting, { numRuns: 1000 }))
})

describe("WireFormat headers", () => {
  it("sends the request id as X-Request-ID and the delay as Retry-After in every format", () => {
    for (const format of BuiltinFormats.all) {
      const { headers } = format.encode(new RateLimitExceeded({ retryAfter: 60, requestId: "req_1" }))
      assert.strictEqual(headers["x-request-id"], "req_1")
      assert.strictEqual(headers["retry-after"], "60")
      assert.deepStrictEqual(Object.keys(format.encode(new NotFound()).headers), ["content-type"])
    }
  })

  it("writes retry_after in the body where the seed formats have the slot", () => {
    for (const format of [WireFormat.OAuthStyle, WireFormat.CodeMessage, WireFormat.NestedError, WireFormat.OAuthDetails, WireFormat.ProblemDetails]) {
      const body = JSON.parse(format.encode(new RateLimitExceeded({ retryAfter: 60 })).body)
      assert.strictEqual(body.retry_after, format.carries.retryAfterInBody ? 60 : undefined, format.name)
    }
  })

  it("reads Retry-After as delta-seconds or HTTP-date, and ignores garbage", () => {
    const now = Date.parse("2026-01-01T00:00:00Z")
    const decode = (value: string) =>
      WireFormat.NestedError.decode({
        status: 429,
        headers: { "retry-after": value },
        body: JSON.stringify({ error: { code: "rate_limit_exceeded", message: "slow down" } })
      }, { now }).retryAfter
    assert.strictEqual(decode("120"), 120)
    assert.strictEqual(decode(" 7 "), 7)
    assert.strictEqual(decode("Thu, 01 Jan 2026 00:01:30 GMT"), 90)
    assert.strictEqual(decode("Wed, 31 Dec 2025 23:00:00 GMT"), 0)
    assert.strictEqual(decode("-5"), undefined)
    assert.strictEqual(decode("soon"), undefined)
    assert.strictEqual(decode("1.5"), undefined)
    assert.strictEqual(decode("99999999999999999999"), 2_147_483_647)
  })

  it("prefers the body's retry_after, rounds it up, and drops a malformed request id", () => {
    const decoded = WireFormat.OAuthDetails.decode({
      status: 429,
      headers: { "retry-after": "5", "x-request-id": "bad id with spaces" },
      body: JSON.stringify({ error: "rate_limit_exceeded", error_description: "x", retry_after: 1.2, request_id: "req_9" })
    })
    assert.instanceOf(decoded, RateLimitExceeded)
    assert.strictEqual(decoded.retryAfter, 2)
    assert.strictEqual(decoded.requestId, "req_9")
  })
})

describe("WireFormat decode of what it cannot map", () => {
  const format = WireFormat.OAuthDetails

  it("answers UnknownApiError for an empty, non-JSON, non-UTF-8 or foreign body", () => {
    const cases: Array<[string | Uint8Array | undefined, string]> = [
      [undefined, "empty body"],
      ["", "empty body"],
      ["  \n", "empty body"],
      ["<html><body>502 Bad Gateway</body></html>", "not JSON"],
      ['{"error": "not_fo', "not JSON"],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "not valid UTF-8"],
      ["[1,2,3]", "not in the oauth-details format"],
      ['{"message":"nope"}', "not in the oauth-details format"]
    ]
    for (const [body, reason] of cases) {
      const decoded = format.decode({ status: 502, headers: { "x-request-id": "req_7" }, body })
      assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
      assert.strictEqual(decoded.status, 502)
      assert.strictEqual(decoded.requestId, "req_7")
      assert.include(decoded.message, reason)
    }
  })

  it("keeps the code, message and a bounded excerpt of an unknown code", () => {
    const body = JSON.stringify({ error: "quota_exhausted", error_description: "Quota exhausted", pad: "x".repeat(2000) })
    const decoded = format.decode({ status: 403, body })
    assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
    assert.strictEqual(decoded.code, "quota_exhausted")
    assert.strictEqual(decoded.message, "Quota exhausted")
    assert.strictEqual(decoded.body, body.slice(0, UnknownApiError.bodyExcerptLength))
  })

  it("does not trust a known code sent with another status", () => {
    const decoded = format.decode({ status: 500, body: JSON.stringify({ error: "user_not_found" }) })
    assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
    assert.strictEqual(decoded.code, "user_not_found")
    assert.include(decoded.message, "documented with status 404")
  })

  it("answers UnknownApiError when an error's own fields do not match its schema", () => {
    const decoded = format.decode({ status: 404, body: JSON.stringify({ error: "user_not_found", user_id: 42 }) })
    assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
    assert.strictEqual(decoded.code, "user_not_found")
  })

  it("defaults a missing description to the catalog's", () => {
    const decoded = format.decode({ status: 404, body: JSON.stringify({ error: "user_not_found", user_id: "u1" }) })
    assert.instanceOf(decoded, UserNotFound)
    assert.strictEqual(decoded.message, "User not found")
    assert.strictEqual(decoded.userId, "u1")
  })
})

/** A terse dialect of a user's own, built as a user would: `{ "e": code, "m": message, "f"?: [[field, message]], "x"?: { …own } }`. */
class QuotaExceeded extends CatalogError.Class<QuotaExceeded>()("QuotaExceeded", {
  code: "quota_exceeded",
  status: 429,
  category: "rate_limit",
  description: "The monthly quota is used up",
  resolution: "Wait for the next month or raise the quota",
  fields: { quota: Schema.Int, resetsAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("resets_at")) }
}) {}

const terseEnvelope: WireFormat.Envelope<typeof ValidationError, typeof BadRequest> = {
  name: "terse",
  source: "a user's own API",
  contentType: "application/vnd.terse+json",
  carries: { fieldErrorCodes: false, fieldErrorList: true, requestIdInBody: false, retryAfterInBody: false },
  reservedMembers: [],
  validationError: ValidationError,
  malformedBody: BadRequest,
  recognizes: (json) => Predicate.isRecord(json) && typeof json.e === "string" && typeof json.m === "string",
  write: ({ fieldErrors, message, metadata, own }) => ({
    e: metadata.code,
    m: message,
    ...(fieldErrors && { f: fieldErrors.map(({ field, message }) => [field, message]) }),
    x: own
  }),
  read: (json) =>
    Predicate.isRecord(json) && typeof json.e === "string"
      ? {
        code: json.e,
        message: json.m,
        fieldErrors: Array.isArray(json.f)
          ? json.f.map((pair) => (Array.isArray(pair) ? { field: pair[0], message: pair[1] } : pair))
          : undefined,
        retryAfter: undefined,
        requestId: undefined,
        own: Predicate.isRecord(json.x) ? json.x : {}
      }
      : undefined,
  jsonSchema: ({ metadata, own }) => ({
    type: "object",
    required: ["e", "m", "x"],
    properties: {
      e: { const: metadata.code },
      m: { type: "string" },
      f: { type: "array", items: { type: "array", prefixItems: [{ type: "string" }, { type: "string" }] } },
      x: { type: "object", required: own.required, properties: own.properties }
    }
  })
}

describe("A user's own wire format, built with WireFormat.make", () => {
  const catalog = Catalog.builtin.pipe(Catalog.add(QuotaExceeded))
  const terse = WireFormat.make(terseEnvelope, { catalog })

  it("passes the same properties as the built-in formats", () => {
    Testing.assertRoundTrip(terse)
    Testing.assertJsonSchema(terse)
    Testing.assertTotal(terse)
  })

  it("is recognised beside the built-in formats", () => {
    const detecting = WireFormat.detect([terse, ...BuiltinFormats.all.map((format) => WireFormat.withCatalog(format, catalog))])
    const error = new QuotaExceeded({ quota: 100, resetsAt: DateTime.unsafeMake("2026-12-01T00:00:00Z"), requestId: "req_q" })
    const decoded = detecting.decode(terse.encode(error))
    assert.instanceOf(decoded, QuotaExceeded)
    assert.strictEqual(decoded.quota, 100)
    assert.strictEqual(decoded.requestId, "req_q")
    assert.instanceOf(detecting.decode(WireFormat.ProblemDetails.encode(error)), QuotaExceeded)
    Testing.assertDetects(detecting, { classes: [QuotaExceeded, ValidationError] })
  })

  it("refuses a catalog whose class has a field named like one of the envelope's members", () => {
    class Ticketed extends CatalogError.Class<Ticketed>()("Ticketed", {
      code: "ticketed",
      status: 409,
      category: "conflict",
      description: "d",
      resolution: "r",
      fields: { x: Schema.String }
    }) {}
    assert.throws(
      () => WireFormat.make({ ...terseEnvelope, reservedMembers: ["e", "m", "f", "x"] }, { catalog: Catalog.make(Ticketed) }),
      /terse: Ticketed's field "x" is a member of the envelope/
    )
    assert.strictEqual(WireFormat.make(terseEnvelope, { catalog: Catalog.make(Ticketed) }).name, "terse")
  })
})

describe("The testing kit finds what is wrong", () => {
  it("a format that loses the message fails the round trip, naming the class", () => {
    const lossy = WireFormat.make({ ...terseEnvelope, write: (error) => ({ e: error.metadata.code, m: "", x: {} }) })
    assert.throws(() => Testing.assertRoundTrip(lossy, { classes: [NotFound] }), /NotFound changed on the wire/)
  })

  it("a format whose decoder throws fails totality", () => {
    const throwing = WireFormat.make({ ...terseEnvelope, read: () => { throw new Error("boom") } })
    // WireFormat.make keeps decode total even then; a hand-written decoder is checked by the property itself.
    assert.doesNotThrow(() => Testing.assertTotal(throwing, { numRuns: 50 }))
    assert.throws(() =>
      fc.assert(Testing.decodeIsTotal({ ...throwing, decode: () => { throw new Error("boom") } }), { numRuns: 5 })
    )
  })

  it("a JSON Schema that does not describe the body fails, naming the member", () => {
    const wrong = WireFormat.make({ ...terseEnvelope, jsonSchema: () => ({ type: "object", required: ["error"] }) })
    assert.throws(() => Testing.assertJsonSchema(wrong, { classes: [NotFound] }), /must have required property 'error'/)
  })
})
