import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const readme = readFileSync(`${root}README.md`, "utf8")

/** Each TypeScript block of the README, with the file its marker says it shows. */
const blocks = Array.from(readme.matchAll(/(?:<!-- file: (\S+) -->\n)?```(?:ts|typescript|tsx)\n([\s\S]*?)```/g), (match) => ({
  file: match[1],
  code: match[2]!
}))

/** The folders whose TypeScript the test command compiles (each example's `tsconfig.*.json`). */
const compiled = /^examples\/(quickstart|identity-admin)\/(src|test)\/[\w.-]+\.ts$/

describe("The README's TypeScript", () => {
  it("has blocks to check", () => assert.isAtLeast(blocks.length, 5))

  for (const [index, block] of blocks.entries()) {
    it(`block ${index + 1} (${block.file ?? "no file"}) is the file it shows, which the build compiles`, () => {
      assert.isDefined(block.file, `block ${index + 1} has no <!-- file: … --> marker:\n${block.code}`)
      assert.match(block.file!, compiled)
      assert.strictEqual(block.code, readFileSync(`${root}${block.file}`, "utf8"))
    })
  }
})
