/**
 * The public surface, documented as Effect's own packages document theirs: every public module opens with a doc
 * comment, every export carries `@since` and `@category`, and each package's root re-exports its public modules as
 * namespaces.
 */
import { assert, describe, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../..", import.meta.url))

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

const nameOf = (node: ts.Statement): string => {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(", ")
  return (node as { name?: ts.Node }).name?.getText() ?? "(anonymous)"
}

const tagsOf = (node: ts.Node): ReadonlyArray<string> => ts.getJSDocTags(node).map((tag) => tag.tagName.text)

for (const name of ["domain", "server", "client"]) {
  const src = join(root, "packages", name, "src")
  const modules = readdirSync(src).filter((file) => file.endsWith(".ts") && file !== "index.ts")

  describe(`@errata/${name}'s public modules`, () => {
    for (const file of modules) {
      it(`${file}: a module doc comment, and @since and @category on every export`, () => {
        const source = ts.createSourceFile(file, readFileSync(join(src, file), "utf8"), ts.ScriptTarget.Latest, true)
        assert.match(source.getFullText(), /^\/\*\*[\s\S]*?@since[\s\S]*?\*\//, `${file} opens without a doc comment`)
        const undocumented = source.statements
          .filter(isExported)
          .filter((statement) => {
            const tags = tagsOf(statement)
            return !tags.includes("since") || !tags.includes("category")
          })
          .map(nameOf)
        assert.deepStrictEqual(undocumented, [], `${file}: exports without @since and @category`)
      })
    }

    it("index.ts: each public module as a namespace, with @since, and nothing of internal/", () => {
      const text = readFileSync(join(src, "index.ts"), "utf8")
      const source = ts.createSourceFile("index.ts", text, ts.ScriptTarget.Latest, true)
      const reexports = source.statements.filter(ts.isExportDeclaration)
      for (const statement of reexports) {
        assert.isTrue(statement.exportClause !== undefined && ts.isNamespaceExport(statement.exportClause), statement.getText())
        assert.include(tagsOf(statement), "since", statement.getText())
        assert.notInclude(statement.moduleSpecifier!.getText(), "internal/")
      }
      const exported = reexports.map((statement) => (statement.exportClause as ts.NamespaceExport).name.text).sort()
      // Modules that load an optional dependency are reached by their own path only.
      const apart = new Map([["domain", ["Testing"]], ["server", ["IdempotencyRedis", "IdempotencySql", "RateLimitRedis", "Telemetry"]], ["client", []]]).get(name)!
      assert.deepStrictEqual(exported, modules.map((file) => file.slice(0, -3)).filter((module) => !apart.includes(module)).sort())
    })
  })
}
