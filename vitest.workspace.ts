/**
 * The test projects. The root `vitest.config.ts` runs them as its `test.projects`; with that field set, Vitest no
 * longer loads this file as a workspace file of its own (which Vitest 3.2 deprecates).
 */
import type { TestProjectConfiguration } from "vitest/config"

export default [
  "packages/*",
  "examples/*",
  "examples/identity-admin/vitest.postgres.config.ts",
  "release"
] satisfies Array<TestProjectConfiguration>
