/**
 * `pnpm bench:server`: req/s and latency of the reference service's error and success paths, next to HttpApi's
 * native 404 and a raw node:http server sending the same bytes, under autocannon on loopback. Each server runs in
 * its own process; autocannon runs in this one.
 *
 * On a shared 2-core machine a server's req/s moves by a third from one minute to the next, which swamps the
 * differences the targets are about. So the figures come in two parts:
 * - alone: each scenario by itself, in several rounds (the order reversed every other round); medians over rounds.
 * - head to head: the two sides of a comparison loaded at the same time, their servers sharing one CPU, so that
 *   whatever the machine does, it does to both; the ratio of their req/s is the inverse ratio of their cost per
 *   request. The targets are read from these ratios (median over rounds).
 * Where `taskset` exists, the servers share the last CPU and autocannon keeps the others.
 *
 * Targets, printed beside the head-to-head ratios: our error path no slower than HttpApi's native error path; the
 * memory rate limiter costing a success at most a tenth of its req/s; a 429 from the rate limiter and a 503 from
 * admission (maintenance) answered at least four times as fast as a success.
 *
 * Environment: `BENCH_ROUNDS` (default 5), `BENCH_DURATION` (seconds per scenario per round, default 3),
 * `BENCH_CONNECTIONS` (default 50 per scenario), `BENCH_PIN=0` to leave CPUs unpinned.
 */
import autocannon from "autocannon"
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "./freePort.js"
import { authorization } from "./token.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const duration = Number(process.env.BENCH_DURATION ?? 3)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

const cpus = availableParallelism()
const pinned = process.env.BENCH_PIN !== "0" && cpus > 1 && spawnSync("taskset", ["-V"]).status === 0
const serverCpu = String(cpus - 1)
if (pinned) spawnSync("taskset", ["-a", "-p", "-c", `0-${cpus - 2}`, String(process.pid)], { stdio: "ignore" })

/**
 * Starts one of `servers.ts`'s servers and gives its base URL and a way to stop it. Its output goes to /dev/null,
 * not through this process: the log lines of thousands of error responses would otherwise compete with autocannon
 * for the same cores.
 */
const start = async (kind: string, env: Record<string, string> = {}, headers?: Record<string, string>) => {
  const port = await freePort()
  const command = [process.execPath, "--import", "tsx", fileURLToPath(new URL("servers.ts", import.meta.url)), kind, String(port)]
  const [file, ...args] = pinned ? ["taskset", "-c", serverCpu, ...command] : command
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] })
  const url = `http://127.0.0.1:${port}`
  const startedAt = Date.now()
  for (;;) {
    try {
      // A request that arrives while the server listens but before its app is attached waits forever: give up on it.
      await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1_000) })
      break
    } catch {
      if (Date.now() - startedAt > 30_000) throw new Error(`${kind} did not start`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return { url, headers: headers ?? (kind === "raw" ? {} : await authorization(url)), stop: () => child.kill("SIGTERM") }
}

interface Scenario {
  readonly name: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

interface Sample {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly statuses: Map<string, number>
}

const load = async ({ headers, url }: Scenario, seconds: number): Promise<Sample> => {
  const result = await autocannon({ url, headers: { ...headers }, connections, duration: seconds })
  const statuses = new Map(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]))
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statuses }
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

console.log(
  `Errata server benchmark — node ${process.version}, autocannon ${connections} connections, ${rounds} rounds × ${duration} s per scenario, ${
    pinned ? `servers on CPU ${serverCpu}, autocannon on CPU 0-${cpus - 2}` : "CPUs not pinned"
  }\n`
)

const limitedDatabase = join(mkdtempSync(join(tmpdir(), "errata-bench-")), "limited.db")
const servers = {
  errata: await start("errata", { ERRATA_RATE_LIMIT: "0" }),
  native: await start("native"),
  raw: await start("raw"),
  underLimit: await start("errata", { ERRATA_RATE_LIMIT: "1000000000", BENCH_DATABASE: limitedDatabase }),
  // In maintenance, the token endpoint and the health checks stay open: the bench gets its token as from the others.
  maintenance: await start("errata", { ERRATA_RATE_LIMIT: "0", ERRATA_MAINTENANCE: "true" })
}
// A limit of one request leaves none for the token endpoint: this server shares the other's database and token.
const overLimit = await start("errata", { ERRATA_RATE_LIMIT: "1", BENCH_DATABASE: limitedDatabase }, servers.underLimit.headers)

try {
  // The same user in both databases, so that the lists compared answer the same bytes.
  const createUser = (server: { readonly url: string; readonly headers: Record<string, string> }) =>
    fetch(`${server.url}/api/admin/users`, {
      method: "POST",
      headers: { ...server.headers, "content-type": "application/json" },
      body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "benchmark1" })
    }).then((response) => response.json() as Promise<{ id: string }>)
  const { id } = await createUser(servers.errata)
  await createUser(servers.underLimit)

  const scenario = (name: string, server: { readonly url: string; readonly headers: Record<string, string> }, path: string): Scenario => ({
    name,
    url: server.url + path,
    headers: server.headers
  })
  const errata404 = scenario("errata: unknown route (404 not_found)", servers.errata, "/api/nowhere")
  const native404 = scenario("HttpApi native: unknown route (404, empty)", servers.native, "/api/nowhere")
  const errataUser = scenario("errata: unknown user (404 user_not_found, SQLite)", servers.errata, "/api/admin/users/usr_nobody")
  const nativeUser = scenario("HttpApi native: unknown user (404, SQLite)", servers.native, "/api/admin/users/usr_nobody")
  const success = scenario("errata, rate limited: success (200 list)", servers.underLimit, "/api/admin/users?limit=1")
  const rejected = scenario("errata, rate limited: over the limit (429)", overLimit, "/api/admin/users?limit=1")
  const existing = scenario("errata: existing user (200, SQLite)", servers.errata, `/api/admin/users/${id}`)
  const raw = scenario("node:http: same 404 bytes", servers.raw, "/api/nowhere")
  const listed = scenario("errata: success (200 list)", servers.errata, "/api/admin/users?limit=1")
  const maintenance = scenario("errata, in maintenance (503)", servers.maintenance, "/api/admin/users?limit=1")
  // The sides of each comparison run back to back, in reverse order every other round. (node:http's figure is only
  // a yardstick for what the machine can do.)
  const groups: ReadonlyArray<ReadonlyArray<Scenario>> = [
    [errata404, native404],
    [errataUser, nativeUser, existing],
    [rejected, success],
    [maintenance, listed],
    [raw]
  ]
  const scenarios = groups.flat()

  for (const s of scenarios) await load(s, 1) // warm-up: compile each path before it is measured
  const samples = new Map<Scenario, Array<Sample>>(scenarios.map((s) => [s, []]))
  for (let round = 0; round < rounds; round++) {
    for (const group of groups) {
      for (const s of round % 2 === 0 ? group : [...group].reverse()) samples.get(s)!.push(await load(s, duration))
    }
    process.stdout.write(`alone: round ${round + 1}/${rounds} done\n`)
  }

  const width = Math.max(...scenarios.map((s) => s.name.length))
  console.log(`\n${"scenario (medians over rounds)".padEnd(width)}   req/s     p50 ms  p99 ms  statuses (all rounds)`)
  for (const s of [errata404, native404, raw, errataUser, nativeUser, existing, success, rejected, listed, maintenance]) {
    const of = samples.get(s)!
    const statuses = new Map<string, number>()
    for (const sample of of) for (const [code, n] of sample.statuses) statuses.set(code, (statuses.get(code) ?? 0) + n)
    console.log(
      `${s.name.padEnd(width)} ${median(of.map((x) => x.rps)).toFixed(0).padStart(7)} ${
        String(median(of.map((x) => x.p50))).padStart(8)
      } ${String(median(of.map((x) => x.p99))).padStart(7)}  ${[...statuses].map(([code, n]) => `${code}×${n}`).join(" ")}`
    )
  }

  const yardstick = samples.get(errata404)!.map((sample, i) => sample.rps / samples.get(raw)![i].rps)
  console.log(`\nerrata unknown-route 404 ÷ node:http same bytes, alone: ${median(yardstick).toFixed(2)}`)

  console.log(`\nhead to head: both loaded at once${pinned ? `, both servers on CPU ${serverCpu}` : ""}; ratio of req/s`)
  const duel = async (label: string, a: Scenario, b: Scenario, target: number) => {
    const ratios: Array<number> = []
    for (let round = 0; round < rounds; round++) {
      const [ra, rb] = await Promise.all([load(a, duration), load(b, duration)])
      ratios.push(ra.rps / rb.rps)
    }
    const figure = median(ratios)
    console.log(
      `${label.padEnd(58)} ${figure.toFixed(2)}  target ≥ ${target.toFixed(2)} ${figure >= target ? "met" : "NOT MET"}   (rounds: ${
        ratios.map((r) => r.toFixed(2)).join(" ")
      })`
    )
  }
  await duel("errata unknown-route 404 ÷ HttpApi native 404", errata404, native404, 1)
  await duel("errata unknown-user 404 ÷ HttpApi native 404", errataUser, nativeUser, 1)
  await duel("rate limiter's tax: rate-limited success ÷ unlimited success", success, listed, 0.9)
  await duel("errata 429 ÷ errata success (rate limited)", rejected, success, 4)
  await duel("errata 503 (maintenance) ÷ errata success", maintenance, listed, 4)
} finally {
  for (const server of [...Object.values(servers), overLimit]) server.stop()
}
