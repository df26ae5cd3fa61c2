/**
 * The reference tests again, on PostgreSQL: `ERRATA_TEST_DATABASE=postgres` makes every test service use a new
 * schema in the machine's PostgreSQL (`test/fixtures/Database.ts`). Where none answers, the project runs nothing,
 * and says why once.
 */
import { configDefaults, defineProject } from "vitest/config"
import { postgresReachable, postgresUrl } from "../../packages/server/test/fixtures/Services.js"

if (!postgresReachable) console.log(`identity-admin-postgres skipped: no PostgreSQL answers at ${postgresUrl}`)

export default defineProject({
  test: {
    name: "identity-admin-postgres",
    include: postgresReachable ? ["test/**/*.test.ts"] : [],
    // The fault test starts PostgreSQL servers of its own, whatever the project: it runs in identity-admin. The
    // docs page and the telemetry export do not depend on the database: they are checked once, there.
    exclude: [
      ...configDefaults.exclude,
      "test/PostgresFaults.test.ts",
      "test/DocsPage.test.ts",
      "test/OpenTelemetry.test.ts"
    ],
    env: { ERRATA_TEST_DATABASE: "postgres" }
  }
})
