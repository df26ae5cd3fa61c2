/**
 * `pnpm bench:server`: req/s and latency of the reference service's error and success paths, next to HttpApi's
 * native 404 and a raw node:http server sending the same bytes, under autocannon on loopback. Each server runs in
 * its own process, one at a time; autocannon runs in this one.
 *
 * Targets: our error path no slower than HttpApi's native error path; a 429 from the rate limiter at least as cheap
 * as a success.
 */
import autocannon from "autocannon"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { freePort } from "./freePort.js"

const duration = Number(process.env.BENCH_DURATION ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

/**
 * Starts one of `servers.ts`'s servers and gives its base URL and a way to stop it. Its output goes to /dev/null,
 * not through this process: the log lines of thousands of error responses would otherwise compete with autocannon
 * for the same cores.
 */
const start = async (kind: string, env: Record<string, string> = {}) => {
  const port = await freePort()
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("servers.ts", import.meta.url)), kind, String(port)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const url = `http://127.0.0.1:${port}`
  const startedAt = Date.now()
  for (;;) {
    try {
      await fetch(`${url}/ready`)
      break
    } catch {
      if (Date.now() - startedAt > 30_000) throw new Error(`${kind} did not start`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return { url, stop: () => child.kill("SIGTERM") }
}

interface Row {
  readonly name: string
  readonly status: string
  readonly rps: number
  readonly p50: number
  readonly p99: number
}

const load = async (name: string, url: string, options: Partial<autocannon.Options> = {}): Promise<Row> => {
  const result = await autocannon({ url, connections, duration, ...options })
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(" ")
  return { name, status: statuses, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }
}

const rows: Array<Row> = []
const run = async (kind: string, env: Record<string, string>, scenarios: (url: string) => Promise<void>) => {
  const server = await start(kind, env)
  try {
    await load("warm-up", `${server.url}/warm-up`, { duration: 1 })
    await scenarios(server.url)
  } finally {
    server.stop()
  }
}

console.log(`Errata server benchmark — node ${process.version}, autocannon ${connections} connections × ${duration} s per scenario\n`)

await run("errata", { ERRATA_RATE_LIMIT: "0" }, async (url) => {
  const created = await fetch(`${url}/api/admin/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "benchmark1" })
  })
  const { id } = await created.json() as { id: string }
  rows.push(await load("errata: unknown route (404 not_found)", `${url}/api/nowhere`))
  rows.push(await load("errata: unknown user (404 user_not_found, SQLite)", `${url}/api/admin/users/usr_nobody`))
  rows.push(await load("errata: existing user (200, SQLite)", `${url}/api/admin/users/${id}`))
})
await run("native", {}, async (url) => {
  rows.push(await load("HttpApi native: unknown route (404, empty)", `${url}/api/nowhere`))
  rows.push(await load("HttpApi native: unknown user (404, SQLite)", `${url}/api/admin/users/usr_nobody`))
})
await run("raw", {}, async (url) => {
  rows.push(await load("node:http: same 404 bytes", `${url}/api/nowhere`))
})
await run("errata", { ERRATA_RATE_LIMIT: "1000000000" }, async (url) => {
  rows.push(await load("errata, rate limited: success (200 list)", `${url}/api/admin/users?limit=1`))
})
await run("errata", { ERRATA_RATE_LIMIT: "1" }, async (url) => {
  rows.push(await load("errata, rate limited: over the limit (429)", `${url}/api/admin/users?limit=1`))
})

const width = Math.max(...rows.map((row) => row.name.length))
console.log(`${"scenario".padEnd(width)}   req/s     p50 ms  p99 ms  statuses`)
for (const row of rows) {
  console.log(
    `${row.name.padEnd(width)} ${row.rps.toFixed(0).padStart(7)} ${String(row.p50).padStart(8)} ${
      String(row.p99).padStart(7)
    }  ${row.status}`
  )
}
const rps = (prefix: string) => rows.find((row) => row.name.startsWith(prefix))!.rps
console.log(`\nerrata unknown-route 404 ÷ HttpApi native 404: ${(rps("errata: unknown route") / rps("HttpApi native: unknown route")).toFixed(2)}`)
console.log(`errata unknown-user 404 ÷ HttpApi native 404:   ${(rps("errata: unknown user") / rps("HttpApi native: unknown user")).toFixed(2)}`)
console.log(`errata unknown-route 404 ÷ node:http same bytes: ${(rps("errata: unknown route") / rps("node:http")).toFixed(2)}`)
console.log(`errata 429 ÷ errata success (rate limited):     ${(rps("errata, rate limited: over") / rps("errata, rate limited: success")).toFixed(2)}`)
