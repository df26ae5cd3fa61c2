/**
 * `pnpm catalog --json | --markdown`: prints the built-in catalog as data or as the error reference page.
 */
import { Catalog, CatalogDocument } from "@errata/domain"

const mode = process.argv.slice(2).find((arg) => arg !== "--")
if (mode === "--json") {
  process.stdout.write(CatalogDocument.toJson(Catalog.builtin))
} else if (mode === "--markdown") {
  process.stdout.write(CatalogDocument.toMarkdown(Catalog.builtin))
} else {
  process.stderr.write("usage: pnpm catalog --json | --markdown\n")
  process.exitCode = 2
}
