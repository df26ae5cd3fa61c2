/**
 * The reference service's HTTP server as a real process (`pnpm start`'s entry point): what Node's parser refuses is
 * answered in the format, with the limits of the environment, and SIGTERM drains the service without losing a
 * request, within the grace period.
 */
import { assert, describe, it } from "@effect/vitest"
import { Testing } from "@errata/server"
import type { Scope } from "effect"
import { Effect, Exit } from "effect"
import type { IncomingMessage, ServerResponse } from "node:http"
import { createServer } from "node:http"
import { performance } from "node:perf_hooks"
import { freePort } from "../bench/freePort.js"
import { inDirectory, start, stop } from "./fixtures/Process.js"

const admin = { id: "shutdown-admin", secret: "shutdown-admin-secret-0123456789" }

/** A service process, seen from the test. */
interface Service {
  readonly port: number
  readonly child: ReturnType<typeof start>
  /** What it wrote on stdout so far. */
  readonly stdout: () => string
  /** When it exits: its code, and the time (`performance.now()`). */
  readonly exited: Promise<{ readonly code: number | null; readonly at: number }>
}

/** The JSON lines of the service's logs. */
const logLines = (service: Service) =>
  service.stdout().trim().split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>]
    } catch {
      return []
    }
  })

/** Runs `test` against the service started with `env`, on a new database; stops it (if still running) afterwards. */
const withService = (env: Record<string, string>, test: (service: Service) => Effect.Effect<void, never, Scope.Scope>) =>
  Effect.promise(() =>
    inDirectory(async (directory, database) => {
      const port = await freePort()
      const child = start(directory, {
        PORT: String(port),
        ...database.env,
        ERRATA_BOOTSTRAP_CLIENT_ID: admin.id,
        ERRATA_BOOTSTRAP_CLIENT_SECRET: admin.secret,
        ...env
      })
      let stdout = ""
      let stderr = ""
      child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk))
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk))
      const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
        child.once("exit", (code) => resolve({ code, at: performance.now() }))
      )
      try {
        await new Promise<void>((resolve, reject) => {
          const check = () => {
            if (!stdout.includes("Listening on")) return
            child.stdout!.off("data", check)
            resolve()
          }
          child.stdout!.on("data", check)
          void exited.then(({ code }) => reject(new Error(`the service exited with ${code}: ${stderr}`)))
          check()
        })
        await Effect.runPromise(Effect.scoped(test({ port, child, stdout: () => stdout, exited })))
      } finally {
        await stop(child)
      }
    })
  )

/** An access token of the bootstrap client. */
const adminToken = (port: number) =>
  Effect.promise(async () => {
    const issued = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: admin.id, client_secret: admin.secret })
    })
    return ((await issued.json()) as { access_token: string }).access_token
  })

/**
 * An export destination that holds each delivery until `release`: the service's export handler waits on it. `arrived`
 * resolves when the first delivery does.
 */
const heldUpstream = Effect.acquireRelease(
  Effect.async<{
    readonly url: string
    readonly arrived: Promise<void>
    readonly release: () => void
    readonly close: () => void
  }>((resume) => {
    const held: Array<() => void> = []
    let arrive = () => {}
    const arrived = new Promise<void>((resolve) => (arrive = resolve))
    let released = false
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume()
      request.on("end", () => {
        const name = decodeURIComponent((request.url ?? "").replace(/^\/exports\//, ""))
        const answer = () => {
          response.writeHead(200, { "content-type": "application/json", "x-request-id": "up_1" })
          response.end(JSON.stringify({ name }))
        }
        if (released) return answer()
        held.push(answer)
        arrive()
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      resume(Effect.succeed({
        url: `http://127.0.0.1:${port}`,
        arrived,
        release: () => {
          released = true
          for (const answer of held.splice(0)) answer()
        },
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      }))
    })
  }),
  (upstream) => Effect.sync(upstream.close)
)

/** Checks an error answer the server wrote: its status and code in problem details, its request id, `Connection: close`. */
const assertError = (answer: Testing.Answer, status: number, code: string) => {
  assert.strictEqual(answer.status, status, answer.body)
  assert.strictEqual(answer.headers["content-type"], "application/problem+json")
  assert.strictEqual(answer.headers["connection"], "close")
  const requestId = answer.headers["x-request-id"] ?? ""
  assert.match(requestId, /^req_[0-9A-Za-z_]+$/)
  const body = JSON.parse(answer.body) as { code?: string; status?: number; request_id?: string }
  assert.strictEqual(body.status, status)
  assert.strictEqual(body.code, code)
  return requestId
}

describe("The service's HTTP server, as a process", () => {
  it.live("answers what Node's parser refuses in the format, with the limits of the environment", () =>
    withService(
      {
        ERRATA_WIRE_FORMAT: "problem-details",
        ERRATA_MAX_HEADER_BYTES: "4096",
        ERRATA_HEADERS_TIMEOUT: "1 second",
        ERRATA_BODY_TIMEOUT: "1500 millis"
      },
      (service) =>
        Effect.gen(function*() {
          const refused: Array<readonly [string, number, string]> = [
            [`GET /${"a".repeat(100_000)} HTTP/1.1\r\nhost: x\r\n\r\n`, 431, "request_header_fields_too_large"],
            [`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(64 * 1024)}\r\n\r\n`, 431, "request_header_fields_too_large"],
            // Over the configured limit, under Node's default.
            [`GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(5000)}\r\n\r\n`, 431, "request_header_fields_too_large"],
            ["GET /health HTTP/1.1\r\nhost: x\r\nx-a: a\rb\r\n\r\n", 400, "bad_request"],
            ["GET /health HTTP/1.1\r\nhost: x\r\nx-a: a\nb\r\n\r\n", 400, "bad_request"],
            ["GET /health HTTP/1.1\r\nhost: x\r\nx-a: a\r\n b\r\n\r\n", 400, "bad_request"],
            ["GET /health HTTP/1.1\r\nhost: x\r\nx-a: a\0b\r\n\r\n", 400, "bad_request"],
            [
              "POST /api/admin/users HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
              400,
              "bad_request"
            ],
            // The headers never finish; then the body never does.
            ["GET /health HTTP/1.1\r\nhost: x\r\n", 408, "request_timeout"],
            [
              "POST /api/admin/users HTTP/1.1\r\nhost: x\r\nx-request-id: req_slow_body\r\ncontent-type: application/json\r\n" +
              "content-length: 100\r\n\r\n{\"email\":",
              408,
              "request_timeout"
            ]
          ]
          const ids: Array<string> = []
          for (const [bytes, status, code] of refused) {
            const connection = yield* Testing.connect(service.port)
            yield* connection.write(bytes)
            ids.push(assertError(yield* connection.answer, status, code))
            assert.strictEqual(yield* connection.closed, "")
          }
          assert.strictEqual(ids.at(-1), "req_slow_body")

          // Every answer logged once, with its code and status (the logs are complete once the process has exited).
          yield* Effect.promise(() => stop(service.child))
          const lines = logLines(service)
          refused.forEach(([, status, code], i) => {
            const logged = lines.filter((line) => line.request_id === ids[i])
            assert.strictEqual(logged.length, 1, JSON.stringify(logged))
            assert.deepInclude(logged[0], { level: "WARN", error_code: code, status })
          })
        })
    ), 60_000)

  it.live("on SIGTERM answers every request in every phase, closes the database last, and exits 0 within the grace period", () =>
    Effect.gen(function*() {
      const upstream = yield* heldUpstream
      const grace = 2000
      yield* withService(
        {
          ERRATA_WIRE_FORMAT: "problem-details",
          ERRATA_SHUTDOWN_GRACE: `${grace} millis`,
          ERRATA_EXPORT_URL: upstream.url
        },
        (service) =>
          Effect.gen(function*() {
            const token = yield* adminToken(service.port)
            const send = (bytes: string) =>
              Effect.tap(Testing.connect(service.port), (connection) => connection.write(bytes))

            // Headers arriving: the server reads them well before it is told to stop (other answers come first).
            const headers = yield* send(
              `GET /api/admin/users HTTP/1.1\r\nhost: x\r\nx-request-id: req_headers\r\nauthorization: Bearer ${token}\r\n`
            )
            // A client that never finishes its headers, and would keep the process up.
            const stalled = yield* send("GET /health HTTP/1.1\r\nhost: x\r\n")
            // A handler running: the export waits for its destination.
            const running = yield* send(
              `POST /api/admin/exports HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\ncontent-length: 0\r\n\r\n`
            )
            yield* Effect.promise(() => upstream.arrived)
            // A body arriving: the interim 100 says the service has the headers and works on the request.
            const user = JSON.stringify({ email: "drain@example.com", name: "Drain", password: "s3cretpass" })
            const body = yield* send(
              `POST /api/admin/users HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\n` +
                `content-type: application/json\r\nexpect: 100-continue\r\ncontent-length: ${user.length}\r\n\r\n`
            )
            assert.strictEqual((yield* body.answer).status, 100)
            yield* body.write(user.slice(0, 10))
            // Idle keep-alive, after one answer (just before the signal: Node closes a connection idle for 5 seconds).
            const idle = yield* send("GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
            assert.strictEqual((yield* idle.answer).status, 200)

            const signalled = performance.now()
            service.child.kill("SIGTERM")

            // The idle connection is closed without an answer, and no new one is accepted.
            assert.strictEqual(yield* idle.closed, "")
            assert.isTrue(Exit.isFailure(yield* Effect.exit(Effect.scoped(Testing.connect(service.port)))))

            // The body arrives: the request is served, on a database still open.
            yield* body.write(user.slice(10))
            const created = yield* body.answer
            assert.strictEqual(created.status, 201, created.body)
            assert.strictEqual(created.headers["connection"], "close")

            // The headers arrive: 503 in the format.
            yield* headers.write("\r\n")
            const refused = yield* headers.answer
            assert.strictEqual(assertError(refused, 503, "service_unavailable"), "req_headers")
            assert.match(refused.headers["retry-after"] ?? "", /^[1-9]\d*$/)

            // The destination answers: the export ends as it would have.
            upstream.release()
            const exported = yield* running.answer
            assert.strictEqual(exported.status, 201, exported.body)
            assert.strictEqual(exported.headers["connection"], "close")

            // The stalled client is answered at the end of the grace period, and the process exits soon after.
            assertError(yield* stalled.answer, 503, "service_unavailable")
            for (const connection of [headers, stalled, running, body]) assert.strictEqual(yield* connection.closed, "")
            const { at, code } = yield* Effect.promise(() => service.exited)
            assert.strictEqual(code, 0)
            assert.isBelow(at - signalled, grace + 1000)

            const lines = logLines(service)
            assert.isTrue(lines.some((line) => line.message === "shutting down"))
            const refusals = lines.filter((line) => line.error_code === "service_unavailable")
            assert.strictEqual(refusals.length, 2, JSON.stringify(refusals))
            for (const line of refusals) assert.deepInclude(line, { status: 503, reason: "shutdown" })
            assert.isFalse(lines.some((line) => line.error_code === "database_error"))
          })
      )
    }).pipe(Effect.scoped), 60_000)
})
