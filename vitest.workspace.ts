import { defineWorkspace } from "vitest/config"

export default defineWorkspace(["packages/*", "examples/*", "examples/identity-admin/vitest.postgres.config.ts", "release"])
