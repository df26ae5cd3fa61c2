import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { AnyCatalogError, FieldError, WireFormat as WF } from "@errata/domain"
import {
  Catalog,
  isCatalogError,
  NotFound,
  RateLimitExceeded,
  UnknownApiError,
  UserNotFound,
  ValidationError,
  WireFormat
} from "@errata/domain"

/** What a format's decoder must give back of a list of field errors, by what the format says it carries. */
const carriedFieldErrors = (format: WF.WireFormat, errors: ReadonlyArray<FieldError> | undefined) => {
  if (errors === undefined) return undefined
  // An optional member set to `undefined` is the same as an absent one: it is not sent.
  let carried = errors.map(({ code, field, message }) =>
    format.carries.fieldErrorCodes && code !== undefined ? { field, message, code } : { field, message }
  )
  if (!format.carries.fieldErrorList) {
    carried = Array.from(new Map(carried.map((error) => [error.field, error])).values())
  }
  return carried
}

const byField = (errors: ReadonlyArray<FieldError> | undefined) =>
  errors && [...errors].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))

/** The fields a decoded error must share with the original, for a format. */
const carried = (format: WF.WireFormat, error: AnyCatalogError) => {
  const common = new Set(["_tag", "message", "fieldErrors", "retryAfter", "requestId"])
  const own = Object.fromEntries(Object.entries(error).filter(([key, value]) => !common.has(key) && value !== undefined))
  const expectedFieldErrors = carriedFieldErrors(format, error.fieldErrors)
  return {
    _tag: error._tag,
    message: error.message,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
    own,
    fieldErrors: format.carries.fieldErrorList ? expectedFieldErrors : byField(expectedFieldErrors)
  }
}

describe("WireFormat round trip", () => {
  for (const format of WireFormat.all) {
    describe(format.name, () => {
      for (const cls of Catalog.builtin.errors) {
        it.prop(`${cls.metadata.tag} survives encode → decode`, { error: cls }, ({ error }) => {
          const response = format.encode(error)
          assert.strictEqual(response.status, cls.metadata.status)
          assert.strictEqual(response.headers["content-type"], format.contentType)
          const decoded = format.decode(response)
          assert.instanceOf(decoded, cls)
          assert.deepStrictEqual(carried(format, decoded as AnyCatalogError), carried(format, error))
        }, { fastCheck: { numRuns: 40 } })
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
    })
  }
})

describe("WireFormat.detect", () => {
  const detecting = WireFormat.detect()

  it.prop("recognises every format by its shape", { error: ValidationError }, ({ error }) => {
    for (const format of WireFormat.all) {
      const decoded = detecting.decode(format.encode(error))
      assert.instanceOf(decoded, ValidationError, format.name)
      assert.deepStrictEqual(carried(format, decoded), carried(format, error))
    }
  }, { fastCheck: { numRuns: 30 } })

  it("recognises each format for every class", () => {
    for (const cls of Catalog.builtin.errors) {
      for (const format of WireFormat.all) {
        assert.instanceOf(detecting.decode(format.encode(new cls({ requestId: "req_1" }))), cls, `${format.name} ${cls.metadata.tag}`)
      }
    }
  })

  it("answers UnknownApiError for what it cannot recognise", () => {
    for (const body of ["<html>", "", "{}", "[1]", "{\"message\": \"x\"}"]) {
      assert.instanceOf(detecting.decode({ status: 502, body }), UnknownApiError)
    }
  })
})

describe("WireFormat.jsonSchema", () => {
  it("describes the body each format sends: required members present, constants equal", () => {
    for (const format of WireFormat.all) {
      for (const cls of Catalog.builtin.errors) {
        const check = (schema: any, value: any, path: string) => {
          assert.isObject(value, path)
          for (const key of schema.required ?? []) assert.property(value, key, `${path}.${key}`)
          for (const [key, member] of Object.entries<any>(schema.properties ?? {})) {
            if (!(key in value)) continue
            if ("const" in member) assert.strictEqual(value[key], member.const, `${path}.${key}`)
            if (member.type === "object" && member.properties) check(member, value[key], `${path}.${key}`)
          }
        }
        const error = new cls({ requestId: "req_1", retryAfter: 1, fieldErrors: [{ field: "f", message: "m" }] })
        check(format.jsonSchema(cls), JSON.parse(format.encode(error).body), `${format.name}:${cls.metadata.tag}`)
      }
    }
  })
})

describe("WireFormat headers", () => {
  it("sends the request id as X-Request-ID and the delay as Retry-After in every format", () => {
    for (const format of WireFormat.all) {
      const { headers } = format.encode(new RateLimitExceeded({ retryAfter: 60, requestId: "req_1" }))
      assert.strictEqual(headers["x-request-id"], "req_1")
      assert.strictEqual(headers["retry-after"], "60")
      assert.deepStrictEqual(Object.keys(format.encode(new NotFound()).headers), ["content-type"])
    }
  })

  it("writes retry_after in the body where the format has the slot", () => {
    for (const format of WireFormat.all) {
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
      assert.instanceOf(decoded, UnknownApiError)
      assert.strictEqual(decoded.status, 502)
      assert.strictEqual(decoded.requestId, "req_7")
      assert.include(decoded.message, reason)
    }
  })

  it("keeps the code, message and a bounded excerpt of an unknown code", () => {
    const body = JSON.stringify({ error: "quota_exhausted", error_description: "Quota exhausted", pad: "x".repeat(2000) })
    const decoded = format.decode({ status: 403, body })
    assert.instanceOf(decoded, UnknownApiError)
    assert.strictEqual(decoded.code, "quota_exhausted")
    assert.strictEqual(decoded.message, "Quota exhausted")
    assert.strictEqual(decoded.body, body.slice(0, 512))
  })

  it("does not trust a known code sent with another status", () => {
    const decoded = format.decode({ status: 500, body: JSON.stringify({ error: "user_not_found" }) })
    assert.instanceOf(decoded, UnknownApiError)
    assert.strictEqual(decoded.code, "user_not_found")
    assert.include(decoded.message, "documented with status 404")
  })

  it("answers UnknownApiError when an error's own fields do not match its schema", () => {
    const decoded = format.decode({ status: 404, body: JSON.stringify({ error: "user_not_found", user_id: 42 }) })
    assert.instanceOf(decoded, UnknownApiError)
    assert.strictEqual(decoded.code, "user_not_found")
  })

  it("defaults a missing description to the catalog's", () => {
    const decoded = format.decode({ status: 404, body: JSON.stringify({ error: "user_not_found", user_id: "u1" }) })
    assert.instanceOf(decoded, UserNotFound)
    assert.strictEqual(decoded.message, "User not found")
    assert.strictEqual(decoded.userId, "u1")
  })

  it("keeps a field named __proto__ a field in keyed formats", () => {
    const error = new ValidationError({ fieldErrors: [{ field: "__proto__", message: "polluted?" }] })
    for (const format of WireFormat.all) {
      const decoded = format.decode(format.encode(error))
      assert.instanceOf(decoded, ValidationError)
      assert.deepStrictEqual(decoded.fieldErrors, [{ field: "__proto__", message: "polluted?" }], format.name)
      assert.strictEqual(({} as any).message, undefined)
    }
  })
})

const codes = Catalog.builtin.errors.map((cls) => cls.metadata.code)
const anyCode = fc.oneof(fc.constantFrom(...codes), fc.constantFrom(...codes).map((c) => c.toUpperCase()), fc.string())
const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined))
/** Bodies shaped nearly like each format's envelope, with members of any type. */
const nearEnvelope = fc.oneof(
  fc.record({ error: anyCode, error_description: anyValue, validation_errors: anyValue, details: anyValue, retry_after: anyValue, request_id: anyValue, user_id: anyValue }, { requiredKeys: ["error"] }),
  fc.record({ code: anyCode, message: anyValue, details: anyValue, request_id: anyValue }, { requiredKeys: ["code"] }),
  fc.record({ error: fc.record({ code: anyCode, message: anyValue, details: anyValue }, { requiredKeys: ["code"] }) }),
  fc.record({ type: fc.oneof(anyCode.map((c) => `/errors/${c}`), fc.string()), title: anyValue, status: anyValue, detail: anyValue, code: fc.oneof(anyCode, anyValue), errors: anyValue, retry_after: anyValue, request_id: anyValue })
)
const anyBody = fc.oneof(
  nearEnvelope.map((body) => JSON.stringify(body)),
  fc.jsonValue().map((body) => JSON.stringify(body)),
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.uint8Array(),
  fc.constantFrom("", undefined, null, "null", "{}", "[]", "\"error\"", "{\"__proto__\":{\"error\":\"not_found\"}}")
)
const anyHeaders = fc.dictionary(
  fc.oneof(fc.constantFrom("retry-after", "Retry-After", "x-request-id", "X-Request-ID", "content-type"), fc.string()),
  fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined))
)
const anyStatus = fc.oneof(fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504), fc.integer())

describe("WireFormat decode is total", () => {
  for (const format of WireFormat.all) {
    it.prop(`${format.name} never throws, whatever the response`, {
      status: anyStatus,
      headers: anyHeaders,
      body: anyBody
    }, ({ body, headers, status }) => {
      const decoded = format.decode({ status, headers, body })
      assert.isTrue(isCatalogError(decoded) || decoded instanceof UnknownApiError)
    }, { fastCheck: { numRuns: 1000 } })
  }

  it("survives deep nesting and a huge body", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000)
    const huge = new NotFound({ message: "x".repeat(5_000_000) })
    for (const format of WireFormat.all) {
      assert.instanceOf(format.decode({ status: 400, body: deep }), UnknownApiError)
      const decoded = format.decode(format.encode(huge))
      assert.instanceOf(decoded, NotFound)
      assert.strictEqual(decoded.message.length, 5_000_000)
    }
  })
})
