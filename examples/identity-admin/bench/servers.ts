/**
 * The servers `bench:server` measures, one per process: `node --import tsx servers.ts <kind> <port>`.
 * - errata: the identity-admin service (rate limiting as `ERRATA_RATE_LIMIT` says, in maintenance if
 *   `ERRATA_MAINTENANCE=true`)
 * - native: the same API on plain HttpApiBuilder, without the Errata middleware: the same handlers, and HttpApi's
 *   own bearer security doing the same token lookup (Errata's `Authentication` needs Errata's middleware)
 * Both create the client `bench` / `bench-secret` on start, for the bench to get its token with.
 * - raw: node:http answering every request with the bytes of Errata's unknown-route 404
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Authentication, WireFormat } from "@errata/domain"
import { InvalidToken, NotFound, ServiceUnavailable } from "@errata/domain/Errors"
import { Admission, Logging } from "@errata/server"
import { Effect, Layer, Option, Redacted } from "effect"
import { createServer } from "node:http"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AdminApi } from "../src/Api.js"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import * as Settings from "../src/Settings.js"
import { Tokens } from "../src/Tokens.js"

const [kind, portText] = process.argv.slice(2)
const port = Number(portText)
/** `BENCH_DATABASE` lets two servers share one SQLite file, and so the tokens it holds. */
const database = { filename: process.env.BENCH_DATABASE ?? join(mkdtempSync(join(tmpdir(), "errata-bench-")), "bench.db") }
/** The client the bench gets its token with (`server.ts`'s `benchClient`). */
const bootstrap = { clientId: "bench", clientSecret: Redacted.make("bench-secret") }

if (kind === "raw") {
  const { body, headers, status } = WireFormat.OAuthDetails.encode(new NotFound({ message: "No such endpoint" }), {
    requestId: "req_00000000000000000000000000000000"
  })
  createServer((_request, response) => {
    response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) })
    response.end(body)
  }).listen(port, "127.0.0.1", () => console.log(`Listening on ${port}`))
} else {
  /** HttpApi's bearer security on the service's token lookup: what a team writes without Errata. */
  const nativeAuthentication = Layer.effect(
    Authentication.Authentication,
    Effect.map(Tokens, (tokens) => ({
      bearer: (token: Redacted.Redacted<string>) =>
        tokens.bearer(token).pipe(
          Effect.mapError(() => new ServiceUnavailable({ message: "The credentials could not be checked" })),
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(new InvalidToken({ message: "The token is not valid" })),
            onSome: ({ principal }) => Effect.succeed(principal)
          }))
        )
    }))
  )
  const app = kind === "native"
    ? HttpApiBuilder.serve().pipe(
      HttpServer.withLogAddress,
      Layer.provide(
        HttpApiBuilder.api(AdminApi).pipe(
          Layer.provide(IdentityAdmin.handlers),
          Layer.provide(Layer.merge(nativeAuthentication, Admission.layer()))
        )
      ),
      Layer.provide(IdentityAdmin.foundation({ database, settings: Settings.layer(), bootstrap }))
    )
    : IdentityAdmin.layer({
      database,
      bootstrap,
      rateLimit: Number(process.env.ERRATA_RATE_LIMIT ?? 0),
      maintenance: process.env.ERRATA_MAINTENANCE === "true"
    })
  Layer.launch(app.pipe(
    Layer.provide(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" })),
    Layer.provide(Logging.layerJson())
  )).pipe(
    NodeRuntime.runMain
  )
}
