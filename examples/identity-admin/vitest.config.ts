import { configDefaults, defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "identity-admin",
    include: ["test/**/*.test.ts"],
    // Several instances share a PostgreSQL: that test runs in the identity-admin-postgres project.
    exclude: [...configDefaults.exclude, "test/Instances.test.ts"]
  }
})
