import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { Catalog, CatalogDocument } from "@errata/domain"

describe("CatalogDocument", () => {
  it("docs/errors.md is the current reference page (regenerate: pnpm catalog --markdown > docs/errors.md)", () => {
    const committed = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8")
    assert.strictEqual(committed, CatalogDocument.toMarkdown(Catalog.builtin))
  })

  it("lists every error as data with its metadata", () => {
    const entries = JSON.parse(CatalogDocument.toJson(Catalog.builtin))
    assert.strictEqual(entries.length, Catalog.builtin.errors.length)
    assert.deepStrictEqual(entries.find((entry: { code: string }) => entry.code === "rate_limit_exceeded"), {
      tag: "RateLimitExceeded",
      code: "rate_limit_exceeded",
      title: "Rate limit exceeded",
      status: 429,
      category: "rate_limit",
      retry: "with_backoff",
      description: "Too many requests",
      resolution: "Wait and retry with exponential backoff, no sooner than Retry-After"
    })
  })

  it("renders one section per status with a row per code", () => {
    const page = CatalogDocument.toMarkdown(Catalog.builtin)
    const statuses = [...new Set(Catalog.builtin.errors.map((cls) => cls.metadata.status))]
    assert.strictEqual(page.match(/^## \d{3} /gm)?.length, statuses.length)
    for (const cls of Catalog.builtin.errors) {
      assert.include(page, `| \`${cls.metadata.code}\` | ${cls.metadata.description} |`)
    }
    assert.include(page, "| `session_expired` | Session has expired | Re-authenticate to get new session | authentication | After re-authentication |")
  })
})
