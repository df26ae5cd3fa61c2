/**
 * `pnpm bench:instructions`: instructions a server spends per request, counted by valgrind's callgrind — steady
 * where req/s on a shared 2-core machine is not. Each server of `servers.ts` (bundled with esbuild, so no TypeScript
 * loader runs) is started under callgrind, answers a number of requests over loopback from this process, and is
 * stopped; two run lengths per scenario, and the difference per request is printed. Takes about 25 minutes;
 * `pnpm bench:instructions 404` runs only the scenarios whose name contains "404".
 *
 * Targets, as for `bench:server`: our unknown-route 404 no costlier than HttpApi's native 404; a 429 no costlier than
 * a success.
 */
import { build } from "esbuild"
import { spawn, spawnSync } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { Agent, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "./freePort.js"
import { authorization } from "./token.js"

if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.log("valgrind is not installed (apt-get install valgrind)")
  process.exit(1)
}

const out = mkdtempSync(join(tmpdir(), "errata-instructions-"))
// The service reads its version from `../package.json`, beside the directory of its module.
mkdirSync(join(out, "src"))
copyFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), join(out, "package.json"))
const bundle = join(out, "src", "servers.mjs")
await build({
  entryPoints: [fileURLToPath(new URL("servers.ts", import.meta.url))],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundle,
  logLevel: "warning",
  plugins: [{
    // Native addons and their loaders stay outside the bundle, imported from where the importer would find them.
    name: "outside",
    setup: (bundler) =>
      bundler.onResolve({ filter: /^(better-sqlite3|ioredis)$/ }, ({ importer, path }) => ({
        path: createRequire(importer).resolve(path),
        external: true
      }))
  }],
  // Bundled CommonJS modules require() Node's own modules: give the ESM bundle a require.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" }
})

const agent = new Agent({ keepAlive: true, maxSockets: 8 })

const send = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent, headers }, (response) => {
      response.resume()
      response.on("end", () => resolve(response.statusCode ?? 0))
    }).on("error", reject).end()
  })

/** `n` requests, 8 at a time; the statuses seen. */
const load = async (port: number, path: string, n: number, headers: Record<string, string>) => {
  const statuses = new Map<number, number>()
  let sent = 0
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (sent < n) {
      sent++
      const status = await send(port, path, headers)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
  }))
  return statuses
}

/** Waits until the server on `port` answers, while `running` says it is up. */
const ready = async (port: number, running: () => boolean, stderr: () => string, kind: string) => {
  for (;;) {
    try {
      // A request that arrives while the server listens but before its app is attached waits forever: give up on it.
      await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) })
      return
    } catch {
      if (!running()) throw new Error(`${kind} did not start\n${stderr()}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/**
 * A token of the service on the database `env.BENCH_DATABASE`, from a server without a rate limit started for it
 * (outside valgrind) and stopped: a server that allows a single request a minute has none left for the token endpoint.
 */
const tokenFor = async (env: Record<string, string>) => {
  const port = await freePort()
  const child = spawn(process.execPath, [bundle, "errata", String(port)], {
    env: { ...process.env, ...env, ERRATA_RATE_LIMIT: "0" },
    stdio: ["ignore", "ignore", "ignore"]
  })
  let running = true
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve(void (running = false))))
  await ready(port, () => running, () => "", "errata")
  const headers = await authorization(`http://127.0.0.1:${port}`)
  child.kill("SIGTERM")
  await exited
  return headers
}

/** Instructions of a whole server process that answers `n` requests for `path`, and the statuses it answered. */
const count = async (kind: string, env: Record<string, string>, path: string, n: number) => {
  const port = await freePort()
  const headers = env.BENCH_DATABASE === undefined ? undefined : await tokenFor(env)
  const child = spawn(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, bundle, kind, String(port)],
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] }
  )
  let stderr = ""
  child.stderr.on("data", (chunk) => (stderr += chunk))
  let running = true
  const exited = new Promise<void>((resolve) =>
    child.on("exit", () => {
      running = false
      resolve()
    })
  )
  await ready(port, () => running, () => stderr, kind)
  const statuses = await load(port, path, n, headers ?? await authorization(`http://127.0.0.1:${port}`))
  agent.destroy()
  child.kill("SIGTERM")
  await exited
  const collected = /Collected : (\d+)/.exec(stderr)
  if (collected === null) throw new Error(`${kind}: no instruction count\n${stderr}`)
  return { instructions: Number(collected[1]), statuses }
}

const scenarios: ReadonlyArray<readonly [name: string, kind: string, env: Record<string, string>, path: string]> = [
  ["HttpApi native: unknown route (404)", "native", {}, "/api/nowhere"],
  ["errata: unknown route (404 not_found)", "errata", { ERRATA_RATE_LIMIT: "0" }, "/api/nowhere"],
  ["HttpApi native: unknown user (404, SQLite)", "native", {}, "/api/admin/users/usr_nobody"],
  ["errata: unknown user (404 user_not_found, SQLite)", "errata", { ERRATA_RATE_LIMIT: "0" }, "/api/admin/users/usr_nobody"],
  ["errata, rate limited: success (200 list)", "errata", { ERRATA_RATE_LIMIT: "1000000000" }, "/api/admin/users?limit=1"],
  ["errata, rate limited: over the limit (429)", "errata", {
    ERRATA_RATE_LIMIT: "1",
    BENCH_DATABASE: join(out, "limited.db")
  }, "/api/admin/users?limit=1"]
]

// `pnpm bench:instructions 404` runs only the scenarios whose name contains "404".
const only = process.argv[2]
// Short runs mostly measure the JIT compiling the path, not its steady state: the default counts only the requests
// after the first 5000 (docs/performance.md has the figures).
const [short, long] = (process.env.BENCH_REQUESTS ?? "5000,10000").split(",").map(Number) as [number, number]
console.log(`Instructions per request (callgrind; ${long} − ${short} requests over loopback, 8 at a time)\n`)
const perRequest = new Map<string, number>()
for (const [name, kind, env, path] of scenarios) {
  if (only !== undefined && !name.includes(only)) continue
  const a = await count(kind, env, path, short)
  const b = await count(kind, env, path, long)
  const each = (b.instructions - a.instructions) / (long - short)
  perRequest.set(name, each)
  const statuses = Array.from(b.statuses, ([status, n]) => `${status}×${n}`).join(" ")
  console.log(`${name.padEnd(50)} ${(each / 1e6).toFixed(2).padStart(6)} M  ${statuses}`)
}
rmSync(out, { recursive: true, force: true })

const ratio = (label: string, a: number, b: number) => {
  const [x, y] = [perRequest.get(scenarios[a]![0]), perRequest.get(scenarios[b]![0])]
  if (x !== undefined && y !== undefined) console.log(`${label.padEnd(50)} ${(x / y).toFixed(2)}`)
}
console.log()
ratio("errata 404 ÷ HttpApi native 404 (unknown route)", 1, 0)
ratio("errata 404 ÷ HttpApi native 404 (unknown user)", 3, 2)
ratio("errata 429 ÷ errata success (rate limited)", 5, 4)
