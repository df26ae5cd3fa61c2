/**
 * The reference service as the fuzzer's target: requests get the administrator client's bearer token (fetched from
 * `/oauth/token`, and again before it expires) or, to the provisioning webhook, a signature with its secret; the
 * maintenance switch a probe turns on is turned off again at once, since it would answer everything else 503; the
 * administrator client's id is never used as a probe's id. Exports go to a destination on loopback that takes them
 * (`exportDestination`): a service without one fails them as its own fault, by design.
 */
import type { HttpServer } from "@effect/platform"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Authentication, Webhook } from "@errata/domain"
import type { ErrataConfig } from "@errata/server"
import { Testing } from "@errata/server"
import type { Duration, Scope } from "effect"
import { Effect, Layer, Redacted } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { AdminApi } from "../src/Api.js"
import * as Fuzz from "./Fuzz.js"

export interface Options {
  readonly config: ErrataConfig.Resolved
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookSecret: string
  readonly faults?: boolean
  readonly timeout?: Duration.DurationInput
}

/**
 * Defects the fuzzer found in what Node's HTTP server answers by itself, before `NodeServer` sees the request: open,
 * and excused by the fuzzer meanwhile. An entry goes with its fix. (None is open: the last two, a bare 417 to an
 * `Expect` other than 100-continue and a `CONNECT` closed without an answer, are answered by `NodeServer` now.)
 */
export const known: ReadonlyArray<Fuzz.Known> = []

/** Tokens live an hour: one older than this is replaced before it is used. */
const tokenAge = 30 * 60 * 1000

/** The service of the context as the fuzzer's target. */
export const target = (options: Options): Layer.Layer<Fuzz.Target, never, HttpServer.HttpServer | HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      Testing.send(request).pipe(Effect.provideService(HttpClient.HttpClient, client), Effect.orDie)
    const fetchToken = Effect.flatMap(
      send(HttpClientRequest.post("/oauth/token").pipe(HttpClientRequest.bodyUrlParams({
        grant_type: "client_credentials",
        client_id: options.clientId,
        client_secret: options.clientSecret
      }))),
      (answer) =>
        answer.status === 200
          ? Effect.succeed(JSON.parse(answer.body).access_token as string)
          : Effect.dieMessage(`the fuzzer's token request answered ${answer.status}: ${answer.body}`)
    )
    let token = { value: yield* fetchToken, at: Date.now() }
    const bearer = Effect.gen(function*() {
      if (Date.now() - token.at > tokenAge) token = { value: yield* fetchToken, at: Date.now() }
      return token.value
    })
    const secret = Redacted.make(options.webhookSecret)
    const credentials: Fuzz.Credentials = (endpoint, body) =>
      Effect.gen(function*() {
        const headers: Array<readonly [string, string]> = []
        if (endpoint.middleware.includes(Authentication.Authentication.key)) {
          headers.push(["authorization", `Bearer ${yield* bearer}`])
        }
        if (endpoint.middleware.includes(Webhook.Signature.key)) {
          const signature = yield* Webhook.sign(secret, body ?? new Uint8Array(), Math.floor(Date.now() / 1000))
          headers.push([Webhook.header.toLowerCase(), signature])
        }
        return headers
      })
    const maintenanceOff = Effect.flatMap(bearer, (value) =>
      send(
        HttpClientRequest.put("/api/admin/maintenance").pipe(
          HttpClientRequest.bearerToken(value),
          HttpClientRequest.bodyUnsafeJson({ enabled: false })
        )
      ))
    return Fuzz.layer({
      api: AdminApi,
      config: options.config,
      credentials,
      restore: (endpoint, answer) =>
        endpoint.name === "maintenance.set" && answer.body.includes("true") ? Effect.asVoid(maintenanceOff) : Effect.void,
      protect: [options.clientId],
      known,
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {})
    })
  }))

/** An export destination on a random loopback port that takes every export (`PUT /exports/{name}`) and keeps none. */
export const exportDestination: Effect.Effect<string, never, Scope.Scope> = Effect.map(
  Effect.acquireRelease(
    Effect.async<ReturnType<typeof createServer>>((resume) => {
      const server = createServer((request, response) => {
        request.resume()
        request.on("end", () => {
          const name = decodeURIComponent((request.url ?? "").replace(/^\/exports\//, ""))
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify({ name }))
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) => Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
  ),
  (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
)
