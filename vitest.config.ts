/** The root configuration of Vitest: it runs the projects listed in `vitest.workspace.ts`. */
import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.js"

export default defineConfig({ test: { projects } })
