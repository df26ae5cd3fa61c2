import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { readFileSync, statSync } from "node:fs"
import { createServer } from "node:net"
import { resolve } from "node:path"
import { freePort } from "../bench/freePort.js"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import { inDirectory, root, start, stop } from "./fixtures/Process.js"

/** Runs one of the service's scripts as the README does; resolves with its exit code and output. */
const script = (file: string, args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ readonly code: number | null; readonly output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { cwd: root, env: { ...process.env, ...env } })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk))
    child.once("exit", (code) => resolve({ code, output }))
  })

/** The variables of an env file: `NAME=value` lines. */
const readEnvFile = (path: string) =>
  Object.fromEntries(readFileSync(path, "utf8").trim().split("\n").map((line) => line.split(/=(.*)/s).slice(0, 2)))

describe("pnpm start", () => {
  it("runs the reference service from the environment, with a bootstrap client to get a token with", () =>
    inDirectory(async (directory, database) => {
      const port = await freePort()
      const child = start(directory, {
        PORT: String(port),
        ERRATA_WIRE_FORMAT: "code-message",
        ...database.env,
        ERRATA_WEBHOOK_SECRETS: "whsec_start_new,whsec_start_old"
      })
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
        // The generated credentials are in a file beside the SQLite file (under ./data/ on PostgreSQL) that only the
        // service's user can read; the log says where, never what.
        const file = resolve(directory, IdentityAdmin.bootstrapFile(database.options))
        assert.strictEqual(statSync(file).mode & 0o777, 0o600)
        const { ERRATA_CLIENT_ID, ERRATA_CLIENT_SECRET } = readEnvFile(file)
        assert.strictEqual(ERRATA_CLIENT_ID, "bootstrap-admin")
        assert.match(ERRATA_CLIENT_SECRET ?? "", /^cs_[A-Za-z0-9_-]{43}$/)
        assert.include(stdout, IdentityAdmin.bootstrapFile(database.options))
        assert.notInclude(stdout, ERRATA_CLIENT_SECRET!)
        assert.notInclude(stdout, database.env.DATABASE_URL!)

        const base = `http://127.0.0.1:${port}`
        const unauthorized = await fetch(`${base}/api/admin/users/usr_nobody`)
        assert.strictEqual(unauthorized.status, 401)
        assert.strictEqual(unauthorized.headers.get("www-authenticate"), "Bearer realm=\"identity-admin\"")

        const issued = await fetch(`${base}/oauth/token`, {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: ERRATA_CLIENT_ID!,
            client_secret: ERRATA_CLIENT_SECRET!
          })
        })
        assert.strictEqual(issued.status, 200)
        assert.strictEqual(issued.headers.get("cache-control"), "no-store")
        const { access_token, expires_in } = await issued.json() as { access_token: string; expires_in: number }
        assert.strictEqual(expires_in, 3600)

        const response = await fetch(`${base}/api/admin/users/usr_nobody`, {
          headers: { "x-request-id": "req_start", authorization: `Bearer ${access_token}` }
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
        assert.notInclude(stdout, access_token)
        for (const path of ["/health", "/ready", "/openapi.json", "/docs"]) {
          assert.strictEqual((await fetch(base + path)).status, 200, path)
        }

        // The README's scripts: an administrator's client with the bootstrap credentials, and the HR system's webhook.
        const admin = await script("examples/identity-admin/src/adminClient.ts", [], {
          ERRATA_URL: base,
          ERRATA_CLIENT_ID: ERRATA_CLIENT_ID!,
          ERRATA_CLIENT_SECRET: ERRATA_CLIENT_SECRET!
        })
        assert.strictEqual(admin.code, 0, admin.output)
        assert.match(admin.output, /^created ann@example\.com\nusr_[0-9a-f]{32} ann@example\.com member active\n$/)
        const hr = await script("examples/identity-admin/src/hrWebhook.ts", ["user.suspended", "ann@example.com"], {
          ERRATA_URL: base,
          ERRATA_WEBHOOK_SECRET: "whsec_start_old"
        })
        assert.strictEqual(hr.code, 0, hr.output)
        assert.match(hr.output, /^user\.suspended: usr_[0-9a-f]{32} ann@example\.com suspended\n$/)
      } finally {
        await stop(child)
      }
  }), 60_000)

  it("takes the bootstrap client from the environment, and writes no file", () =>
    inDirectory(async (directory, database) => {
      const port = await freePort()
      const secret = "configured-secret-0123456789"
      const child = start(directory, {
        PORT: String(port),
        ...database.env,
        ERRATA_BOOTSTRAP_CLIENT_ID: "ops-admin",
        ERRATA_BOOTSTRAP_CLIENT_SECRET: secret
      })
      let stdout = ""
      child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk))
      try {
        for (let waited = 0; !stdout.includes("Listening on") && waited < 30_000; waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        const issued = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
          method: "POST",
          body: new URLSearchParams({ grant_type: "client_credentials", client_id: "ops-admin", client_secret: secret })
        })
        assert.strictEqual(issued.status, 200)
        assert.throws(() => statSync(resolve(directory, IdentityAdmin.bootstrapFile(database.options))))
        assert.include(stdout, "bootstrap admin client created from configuration")
        assert.notInclude(stdout, secret)
      } finally {
        await stop(child)
      }
  }), 60_000)

  it("says why it cannot start, and exits with 1, when the port is taken", () =>
    inDirectory(async (directory, database) => {
      const taken = createServer()
      await new Promise<void>((resolve) => taken.listen(0, resolve))
      const { port } = taken.address() as { port: number }
      try {
        const child = start(directory, { PORT: String(port), ...database.env })
        let output = ""
        child.stdout!.on("data", (chunk: Buffer) => (output += chunk))
        child.stderr!.on("data", (chunk: Buffer) => (output += chunk))
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve))
        assert.strictEqual(code, 1)
        assert.include(output, "EADDRINUSE")
      } finally {
        taken.close()
      }
  }), 60_000)
})
