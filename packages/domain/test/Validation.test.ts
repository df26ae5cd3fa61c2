import { assert, describe, it } from "@effect/vitest"
import { Validation } from "@errata/domain"
import { InvalidEmail } from "@errata/domain/Errors"
import { Either, FastCheck, ParseResult, Schema } from "effect"

const Sku = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{2}-\d{3}$/),
  Validation.rule({ code: "invalid_sku", message: "must look like AB-123" })
)

const Order = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  reference: Schema.optional(Schema.String.pipe(Schema.length(6))),
  email: Schema.optional(
    Schema.String.pipe(Schema.filter((s) => s.includes("@")), Validation.rule({ message: "must be an email address", error: InvalidEmail }))
  ),
  kind: Schema.Literal("standard", "express"),
  count: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 5))),
  note: Schema.optional(Schema.NullOr(Schema.String)),
  items: Schema.optional(Schema.Array(Schema.Struct({ sku: Sku })).pipe(Schema.minItems(1))),
  price: Schema.optional(Schema.Number.pipe(Schema.positive()))
})

const check = (input: unknown) => {
  const result = ParseResult.decodeUnknownEither(Order, { errors: "all", onExcessProperty: "error" })(input)
  return Either.isLeft(result) ? Validation.violations(result.left, { root: "body" }) : []
}

const valid = { id: "o1", kind: "standard" }

describe("Validation", () => {
  it("gives each invalid field a code from the vocabulary and a message that names it", () => {
    const cases: ReadonlyArray<readonly [unknown, string, string, string]> = [
      [{ kind: "standard" }, "id", "required", "id is required"],
      [{ ...valid, id: 42 }, "id", "invalid_type", "id must be a string"],
      [{ ...valid, id: "" }, "id", "too_short", "id must not be empty"],
      [{ ...valid, id: "x".repeat(70) }, "id", "too_long", "id must be at most 64 characters"],
      [{ ...valid, reference: "abc" }, "reference", "invalid_format", "reference must be exactly 6 characters long"],
      [{ ...valid, kind: "slow" }, "kind", "not_allowed", "kind must be one of standard, express"],
      [{ ...valid, count: "many" }, "count", "invalid_type", "count must be a number"],
      [{ ...valid, count: "2.5" }, "count", "invalid_type", "count must be an integer"],
      [{ ...valid, count: "9" }, "count", "out_of_range", "count must be between 1 and 5"],
      [{ ...valid, price: 0 }, "price", "out_of_range", "price must be greater than 0"],
      [{ ...valid, note: 3 }, "note", "invalid_type", "note must be a string"],
      [{ ...valid, items: [] }, "items", "too_short", "items must not be empty"],
      [{ ...valid, items: [{ sku: "AB-123" }, { sku: "nope" }] }, "items[1].sku", "invalid_sku", "items[1].sku must look like AB-123"],
      [{ ...valid, items: [{ sku: 7 }] }, "items[0].sku", "invalid_type", "items[0].sku must be a string"],
      [{ ...valid, email: "nobody" }, "email", "invalid_email", "email must be an email address"],
      [{ ...valid, admin: true }, "admin", "unknown_field", "admin is not allowed"],
      [{ ...valid, "a b": true }, "body", "unknown_field", "body has a member that is not allowed"],
      [null, "body", "invalid_type", "body must be an object"],
      [undefined, "body", "required", "body is required"]
    ]
    for (const [input, field, code, message] of cases) {
      const found = check(input)
      assert.deepStrictEqual(found.map(({ code, field, message }) => ({ field, code, message })), [{ field, code, message }])
    }
  })

  it("lists every invalid field once, unknown members first, then in the schema's order, with the rule that named it", () => {
    const found = check({ id: "", kind: "slow", email: "nobody", extra: 1 })
    assert.deepStrictEqual(found.map(({ field }) => field), ["extra", "id", "email", "kind"])
    assert.strictEqual(found[2]!.rule?.error, InvalidEmail)
    assert.strictEqual(Validation.summary(found), "4 fields are invalid: extra, id, email, kind")
    assert.deepStrictEqual(Validation.fieldErrors(found.slice(1, 2)), [{ field: "id", message: "id must not be empty", code: "too_short" }])
  })

  it("never repeats a value from the input, nor a member name that is not a plain name", () => {
    const marker = "zq9"
    const withMarker = FastCheck.string({ maxLength: 12 }).map((s) => `${marker}${s}`)
    const value = FastCheck.oneof(withMarker, FastCheck.integer(), FastCheck.constant(null), FastCheck.array(withMarker, { maxLength: 2 }))
    const input = FastCheck.record({
      id: value,
      reference: value,
      email: value,
      kind: value,
      count: value,
      items: FastCheck.array(FastCheck.record({ sku: value }), { maxLength: 2 })
    }).chain((record) => FastCheck.tuple(FastCheck.constant(record), withMarker.map((key) => `${key} !`), value))
    FastCheck.assert(
      FastCheck.property(input, ([record, key, extra]) => {
        for (const violation of check({ ...record, [key]: extra })) {
          assert.notInclude(violation.field, marker)
          assert.notInclude(violation.message, marker)
        }
      }),
      { numRuns: 300 }
    )
  })
})
