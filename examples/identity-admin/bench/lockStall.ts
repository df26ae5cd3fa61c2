/**
 * How long a locked SQLite file stalls the reference service: the service runs in this process on a new SQLite
 * file, another process takes the file's write lock (`lockHolder.ts`), three creates are sent, and once they wait
 * for the lock, requests that do not need it (`GET /nowhere`, `GET /health`, reading a user). Prints the largest
 * event-loop delay (`perf_hooks.monitorEventLoopDelay`) and each answer's status and time, with the lock held and
 * without.
 *
 * `npx -y pnpm@10 exec tsx examples/identity-admin/bench/lockStall.ts` (`BENCH_LOCK_WAIT_MS`: the service's lock wait,
 * default 5000). The figures are in `docs/performance.md`.
 */
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Logger, ManagedRuntime, Redacted } from "effect"
import { mkdtempSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import { freePort } from "./freePort.js"
import { holdLock } from "./lockHolder.js"
import { authorization } from "./token.js"

const lockWaitMs = Number(process.env.BENCH_LOCK_WAIT_MS ?? 5000)
const filename = join(mkdtempSync(join(tmpdir(), "errata-bench-lock-")), "bench.db")
const port = await freePort()
const baseUrl = `http://127.0.0.1:${port}`

const runtime = ManagedRuntime.make(
  IdentityAdmin.layer({
    database: { filename, busyTimeoutMs: lockWaitMs },
    bootstrap: { clientId: "bench", clientSecret: Redacted.make("bench-secret") }
  }).pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" })),
    Layer.provide(Logger.replace(Logger.defaultLogger, Logger.none))
  )
)
await runtime.runPromise(Effect.void)
for (let attempt = 0; (await fetch(`${baseUrl}/ready`)).status !== 200; attempt++) {
  if (attempt > 100) throw new Error("the service did not get ready")
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const headers = { ...(await authorization(baseUrl)), "content-type": "application/json" }

let users = 0
const create = () =>
  fetch(`${baseUrl}/api/admin/users`, {
    method: "POST",
    headers,
    body: JSON.stringify({ email: `user${++users}@example.com`, name: "Bench", password: "s3cretpass" })
  })

const reader = await (await create()).json() as { id: string }

/** A request's status and how long its answer took, in milliseconds. */
const timed = async (send: () => Promise<Response>) => {
  const start = performance.now()
  const response = await send()
  await response.arrayBuffer()
  return { status: response.status, ms: Math.round(performance.now() - start) }
}

const round = async (locked: boolean) => {
  const lock = locked ? await holdLock(filename) : undefined
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const writers = [1, 2, 3].map(() => timed(create))
  // The unrelated requests leave once the creates wait for the lock (their passwords are hashed by then).
  await new Promise((resolve) => setTimeout(resolve, 300))
  const others = {
    nowhere: timed(() => fetch(`${baseUrl}/nowhere`)),
    health: timed(() => fetch(`${baseUrl}/health`)),
    read: timed(() => fetch(`${baseUrl}/api/admin/users/${reader.id}`, { headers }))
  }
  const answers = {
    nowhere: await others.nowhere,
    health: await others.health,
    read: await others.read,
    writers: await Promise.all(writers)
  }
  delay.disable()
  await lock?.release()
  return { maxDelayMs: Math.round(delay.max / 1e6), p99DelayMs: Math.round(delay.percentile(99) / 1e6), ...answers }
}

const show = (answer: { status: number; ms: number }) => `${answer.status} in ${answer.ms} ms`

console.log(`SQLite lock stall — node ${process.version}, lock wait ${lockWaitMs} ms, 3 creates then 3 other requests`)
// A first round warms the service up; it is not shown.
await round(false)
for (const locked of [false, true]) {
  const result = await round(locked)
  console.log(
    [
      locked ? "lock held by another process" : "no lock",
      `event-loop delay max ${result.maxDelayMs} ms, p99 ${result.p99DelayMs} ms`,
      `GET /nowhere ${show(result.nowhere)}`,
      `GET /health ${show(result.health)}`,
      `GET user ${show(result.read)}`,
      `creates ${result.writers.map(show).join(", ")}`
    ].join(" | ")
  )
}
await runtime.dispose()
