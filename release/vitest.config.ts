import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "release",
    include: ["test/**/*.test.ts"],
    // Packing, installing from the registry and starting a browser take longer than unit tests.
    testTimeout: 300_000,
    hookTimeout: 300_000
  }
})
