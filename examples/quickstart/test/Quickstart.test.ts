import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const here = fileURLToPath(new URL("..", import.meta.url))

/** Polls until `found` gives a value, for at most 30 s. */
const waitFor = async <A>(found: () => A | undefined, output: () => string): Promise<A> => {
  const startedAt = Date.now()
  for (;;) {
    const value = found()
    if (value !== undefined) return value
    if (Date.now() - startedAt > 30_000) throw new Error(`gave up waiting; the output so far:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Runs one of the quickstart's programs as the README runs it, with `env` added; resolves with its output. */
const run = (file: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: here,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk))
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk))
  return { child, output: () => output }
}

describe("The README's quickstart, run as written", () => {
  it("serves the API (src/main.ts), and the client (src/client.ts) gets the plan limit as its own class", async () => {
    // Port 0: the system picks a free one, and the server says which in its "Listening on" line.
    const server = run("src/main.ts", { PORT: "0" })
    try {
      const port = await waitFor(() => /Listening on http:\/\/[^\s"]+:(\d+)/.exec(server.output())?.[1], server.output)
      const client = run("src/client.ts", { BASE_URL: `http://127.0.0.1:${port}` })
      const code = await new Promise<number | null>((resolve) => client.child.once("exit", resolve))
      assert.strictEqual(code, 0, client.output())
      assert.deepStrictEqual(client.output().trim().split("\n"), [
        "created prj_1 (alpha)",
        "created prj_2 (beta)",
        "created prj_3 (gamma)",
        "plan limit reached: 3 projects"
      ])
      // In RFC 9457, the format main.ts configures; and logged once, as a JSON line.
      const answer = await fetch(`http://127.0.0.1:${port}/projects`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "epsilon" })
      })
      assert.strictEqual(answer.status, 403)
      assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
      assert.deepInclude(await answer.json(), { type: "/errors/plan_limit_reached", code: "plan_limit_reached", limit: 3 })
      const requestId = answer.headers.get("x-request-id")!
      await waitFor(() => server.output().includes(requestId) || undefined, server.output)
      const logged = server.output().split("\n").filter((line) => line.includes(requestId))
      assert.strictEqual(logged.length, 1)
      assert.deepInclude(JSON.parse(logged[0]!), { error_code: "plan_limit_reached", status: 403, path: "/projects" })
    } finally {
      server.child.kill("SIGTERM")
    }
  }, 60_000)
})
