import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, Catalog, UnknownApiError } from "@errata/domain"
import { seedExamples } from "./fixtures/SeedExamples.js"


describe("seed examples", () => {
  for (const example of seedExamples) {
    const title = `seed ${example.seed}, ${example.section}: ${example.tag ?? "a template"} in ${example.format}`
    it(title, () => {
      const format = BuiltinFormats.byName[example.format]!
      const decoded = format.decode({ status: example.status, headers: example.headers, body: example.body })
      const json = JSON.parse(example.body)
      if (example.tag === undefined) {
        assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
        assert.strictEqual(decoded.status, example.status)
        return
      }
      assert.instanceOf(decoded, Catalog.seed.byTag(example.tag)!)
      assert.strictEqual(decoded.message, json.error_description ?? json.message ?? json.error?.message)
      assert.deepStrictEqual(decoded.fieldErrors, example.fieldErrors)
      assert.strictEqual(decoded.retryAfter, example.retryAfter)
    })
  }

  it("covers every format that the seeds print examples of", () => {
    assert.deepStrictEqual(
      [...new Set(seedExamples.map((example) => example.format))],
      ["oauth-style", "code-message", "nested-error", "oauth-details"]
    )
  })
})
