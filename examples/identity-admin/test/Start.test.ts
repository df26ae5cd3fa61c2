import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "../bench/freePort.js"

const root = fileURLToPath(new URL("../../..", import.meta.url))

/** `pnpm start`'s entry point, run as the README runs it, on a new SQLite file, with `env` added. */
const start = (env: Record<string, string>) =>
  spawn(process.execPath, ["--import", "tsx", "examples/identity-admin/src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "errata-start-")), "app.db")}`, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })

describe("pnpm start", () => {
  it("runs the reference service from the environment, on its SQLite file", async () => {
    const port = await freePort()
    const child = start({ PORT: String(port), ERRATA_WIRE_FORMAT: "code-message" })
    let stdout = ""
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk))
    const written = (text: string, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(what)), 30_000)
        const check = () => {
          if (!stdout.includes(text)) return
          clearTimeout(timer)
          child.stdout!.off("data", check)
          resolve()
        }
        child.stdout!.on("data", check)
        child.once("exit", (code) => reject(new Error(`the service exited with ${code}`)))
        check()
      })
    try {
      await written("Listening on", "the service did not start")
      const response = await fetch(`http://127.0.0.1:${port}/api/admin/users/usr_nobody`, {
        headers: { "x-request-id": "req_start" }
      })
      assert.strictEqual(response.status, 404)
      assert.strictEqual(response.headers.get("x-request-id"), "req_start")
      assert.strictEqual(response.headers.get("x-ratelimit-limit"), "600")
      assert.deepStrictEqual(await response.json(), {
        code: "USER_NOT_FOUND",
        message: "The specified user was not found",
        request_id: "req_start",
        user_id: "usr_nobody"
      })
      // The error response is logged once, as a JSON line (runMain's pretty logger does not print it again).
      await written("\"error_code\":\"user_not_found\"", "the error response was not logged")
      const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)
      const logged = lines.filter((line) => line.request_id === "req_start")
      assert.strictEqual(logged.length, 1)
      assert.deepInclude(logged[0], { level: "WARN", error_code: "user_not_found", status: 404, path: "/api/admin/users/usr_nobody" })
    } finally {
      child.kill("SIGTERM")
    }
  }, 60_000)

  it("says why it cannot start, and exits with 1, when the port is taken", async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, resolve))
    const { port } = taken.address() as { port: number }
    try {
      const child = start({ PORT: String(port) })
      let output = ""
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk))
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk))
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve))
      assert.strictEqual(code, 1)
      assert.include(output, "EADDRINUSE")
    } finally {
      taken.close()
    }
  }, 60_000)
})
