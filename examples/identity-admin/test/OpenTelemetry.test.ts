import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { ConfigProvider, Effect, Exit } from "effect"
import { freePort } from "../bench/freePort.js"
import * as OpenTelemetry from "../src/OpenTelemetry.js"
import { forProcess } from "./fixtures/Database.js"

const planOf = (env: Record<string, string>) =>
  OpenTelemetry.plan.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("OpenTelemetry.plan", () => {
  it.effect("is off when no OTEL_* variable asks for export, or when OTEL_SDK_DISABLED is true", () =>
    Effect.gen(function*() {
      const off = { traces: [], metrics: [] }
      assert.deepInclude(yield* planOf({}), { ...off, serviceName: "identity-admin" })
      assert.deepInclude(yield* planOf({ OTEL_SERVICE_NAME: "ia" }), off)
      assert.deepInclude(
        yield* planOf({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }),
        off
      )
      assert.deepInclude(yield* planOf({ OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none" }), off)
    }))

  it.effect("exports over OTLP where an endpoint is set, and as the exporter variables choose", () =>
    Effect.gen(function*() {
      assert.deepInclude(yield* planOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }), {
        traces: ["otlp"],
        metrics: ["otlp"],
        metricInterval: 60_000
      })
      assert.deepInclude(yield* planOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }), {
        traces: ["otlp"],
        metrics: []
      })
      assert.deepInclude(
        yield* planOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" }),
        { traces: [], metrics: ["otlp"] }
      )
      assert.deepInclude(yield* planOf({ OTEL_TRACES_EXPORTER: "console, OTLP", OTEL_METRICS_EXPORTER: "console" }), {
        traces: ["console", "otlp"],
        metrics: ["console"]
      })
      const unknown = yield* Effect.exit(planOf({ OTEL_TRACES_EXPORTER: "zipkin" }))
      assert.isTrue(Exit.isFailure(unknown))
    }))
})

const root = fileURLToPath(new URL("../../..", import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href

type Attribute = { readonly key: string; readonly value: Record<string, unknown> }

/** An OTLP attribute list as an object: the values as the JSON encoding gives them (integers may be strings). */
const attributesOf = (attributes: ReadonlyArray<Attribute> = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]))

/** A collector on loopback that keeps what the service posts to /v1/traces and /v1/metrics, as OTLP/JSON. */
const collector = () =>
  new Promise<{ url: string; posts: Array<{ path: string; body: any }>; close: () => void }>((resolve) => {
    const posts: Array<{ path: string; body: any }> = []
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        posts.push({ path: request.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") })
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        posts,
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      }))
  })

/** Waits, 15 seconds at most, until `find` finds something. */
const eventually = async <A>(find: () => A | undefined, what: string): Promise<A> => {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const found = find()
    if (found !== undefined) return found
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(what)
}

describe("The reference service with OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("exports each error response's span and the error counter to the collector", async () => {
    const directory = mkdtempSync(join(tmpdir(), "errata-otel-"))
    const database = forProcess(directory)
    const otlp = await collector()
    const port = await freePort()
    const child = spawn(process.execPath, ["--import", tsx, join(root, "examples/identity-admin/src/main.ts")], {
      cwd: directory,
      env: {
        ...process.env,
        ...database.env,
        PORT: String(port),
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_SERVICE_NAME: "identity-admin-test",
        OTEL_BSP_SCHEDULE_DELAY: "50",
        OTEL_METRIC_EXPORT_INTERVAL: "200"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk))
    try {
      await eventually(() => stdout.includes("Listening on") || undefined, "the service did not start")
      const base = `http://127.0.0.1:${port}`
      const refused = await fetch(`${base}/api/admin/users/usr_nobody`, { headers: { "x-request-id": "req_otel_401" } })
      assert.strictEqual(refused.status, 401)
      assert.strictEqual((await fetch(`${base}/nowhere`, { headers: { "x-request-id": "req_otel_404" } })).status, 404)

      const spans = () =>
        otlp.posts.filter((post) => post.path === "/v1/traces").flatMap((post) =>
          post.body.resourceSpans.flatMap((resource: any) =>
            resource.scopeSpans.flatMap((scope: any) =>
              scope.spans.map((span: any) => ({
                ...span,
                attributes: attributesOf(span.attributes),
                resource: attributesOf(resource.resource?.attributes)
              }))
            )
          )
        )
      const spanOf = (requestId: string) =>
        eventually(
          () => spans().find((span) => span.attributes["errata.request_id"] === requestId),
          `no span for ${requestId}`
        )
      const unauthorized = await spanOf("req_otel_401")
      assert.strictEqual(unauthorized.kind, 2, "a server span")
      assert.strictEqual(unauthorized.resource["service.name"], "identity-admin-test")
      assert.strictEqual(unauthorized.attributes["error.type"], "unauthorized")
      assert.strictEqual(Number(unauthorized.attributes["http.response.status_code"]), 401)
      assert.strictEqual(unauthorized.attributes["http.route"], "/api/admin/users/:id")
      assert.strictEqual(unauthorized.status?.code ?? 0, 0, "unset for a 4xx")
      const notFound = await spanOf("req_otel_404")
      assert.strictEqual(notFound.attributes["error.type"], "not_found")
      assert.isUndefined(notFound.attributes["http.route"])

      const counted = await eventually(() =>
        otlp.posts.filter((post) => post.path === "/v1/metrics").flatMap((post) =>
          post.body.resourceMetrics.flatMap((resource: any) =>
            resource.scopeMetrics.flatMap((scope: any) => scope.metrics)
          )
        ).filter((metric: any) => metric.name === "errata.server.error_responses")
          .flatMap((metric: any) => metric.sum.dataPoints)
          .find((point: any) => attributesOf(point.attributes)["error.type"] === "unauthorized"), "no error counter")
      assert.deepStrictEqual(attributesOf(counted.attributes), {
        "error.type": "unauthorized",
        "http.response.status_code": "401"
      })
      assert.isAtLeast(Number(counted.asDouble ?? counted.asInt), 1)
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      })
      otlp.close()
      await database.drop()
    }
  }, 60_000)
})
