import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "identity-admin",
    include: ["test/**/*.test.ts"]
  }
})
