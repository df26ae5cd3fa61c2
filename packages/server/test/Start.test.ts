import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "./fixtures/TestServer.js"


describe("pnpm start", () => {
  it("runs the reference service from the environment, on its SQLite file", async () => {
    const port = await freePort()
    const root = fileURLToPath(new URL("../../..", import.meta.url))
    const data = mkdtempSync(join(tmpdir(), "errata-start-"))
    const child = spawn(process.execPath, ["--import", "tsx", "packages/server/src/reference/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: `file:${join(data, "app.db")}`,
        ERRATA_WIRE_FORMAT: "code-message"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the service did not start")), 30_000)
        child.stdout!.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("Listening on")) {
            clearTimeout(timer)
            resolve()
          }
        })
        child.once("exit", (code) => reject(new Error(`the service exited with ${code}`)))
      })
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
    } finally {
      child.kill("SIGTERM")
    }
  }, 60_000)
})
