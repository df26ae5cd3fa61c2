/**
 * Idempotency-Key end to end: the real client against the real service, through a proxy that resets the connection
 * of a create after the service has answered it — the case the key is for.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpServer } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { ErrataClient } from "@errata/client"
import { Testing } from "@errata/server"
import { Context, Effect, Layer, Redacted } from "effect"
import { createServer, connect, type Socket } from "node:net"
import { AdminApi } from "../src/Api.js"
import { CreateUser } from "../src/User.js"
import { adminToken, service, withToken } from "./fixtures/Service.js"

/**
 * A TCP proxy on loopback to `port` that, the first time it sees a request starting with `trigger`, lets it through
 * and then resets the caller's connection as soon as the answer starts: the server did the work, the caller never
 * hears of it.
 */
const resettingProxy = (port: number, trigger: string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly port: number; readonly resets: () => number; readonly close: () => void }>((resume) => {
      let resets = 0
      let armed = false
      const sockets = new Set<Socket>()
      const server = createServer((caller) => {
        const upstream = connect(port, "127.0.0.1")
        sockets.add(caller).add(upstream)
        caller.on("data", (chunk: Buffer) => {
          if (resets === 0 && chunk.toString("latin1").startsWith(trigger)) armed = true
          upstream.write(chunk)
        })
        upstream.on("data", (chunk: Buffer) => {
          if (armed) {
            armed = false
            resets++
            caller.resetAndDestroy()
            upstream.destroy()
          } else {
            caller.write(chunk)
          }
        })
        caller.on("error", () => upstream.destroy())
        upstream.on("error", () => caller.destroy())
        caller.on("close", () => upstream.end())
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          port: (server.address() as { port: number }).port,
          resets: () => resets,
          close: () => {
            for (const socket of sockets) socket.destroy()
            server.close()
          }
        })))
    }),
    (proxy) => Effect.sync(proxy.close)
  )

describe("Idempotency-Key, end to end", () => {
  it.scopedLive("a create whose connection is reset after the service committed it is retried with the same key: one user", () =>
    Effect.gen(function*() {
      const logs: Array<Testing.LogEntry> = []
      const context = yield* Layer.build(service({}, logs))
      const address = Context.get(context, HttpServer.HttpServer).address as HttpServer.TcpAddress
      const proxy = yield* resettingProxy(address.port, "POST /api/admin/users ")
      const token = yield* adminToken().pipe(Effect.provide(context))

      const client = yield* ErrataClient.make(AdminApi, {
        baseUrl: `http://127.0.0.1:${proxy.port}`,
        transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
      }).pipe(Effect.provide(FetchHttpClient.layer))
      const created = yield* client.users.create({
        payload: new CreateUser({ email: "once@example.com", name: "Once", password: Redacted.make("s3cretpass") })
      })
      assert.strictEqual(proxy.resets(), 1)
      assert.strictEqual(created.email, "once@example.com")

      const listed = yield* Testing.send(HttpClientRequest.get("/api/admin/users?limit=100").pipe(withToken(token))).pipe(
        Effect.provide(context)
      )
      const users = JSON.parse(listed.body).users.filter((user: { email: string }) => user.email === "once@example.com")
      assert.deepStrictEqual(users.map((user: { id: string }) => user.id), [created.id])
      // The service ran the create once and answered the retry from what it stored.
      assert.isTrue(logs.some((entry) => entry.message === "request replayed" && entry.annotations.status === 201))
    }))
})
