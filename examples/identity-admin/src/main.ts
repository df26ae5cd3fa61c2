/**
 * Starts the identity-admin service: `pnpm start`. Configuration by environment: `PORT` (default 3000), the server's
 * limits and shutdown grace period (`NodeServer.config`), and the variables `IdentityAdmin.layerConfig` reads.
 */
import { NodeRuntime } from "@effect/platform-node"
import { ErrataConfig, Logging, NodeServer } from "@errata/server"
import { Config, Layer } from "effect"
import * as IdentityAdmin from "./IdentityAdmin.js"

// The server is acquired before the service's layers and released after them, and it drains first: on SIGTERM or
// SIGINT the requests in flight finish while the database is still open.
const HttpLive = IdentityAdmin.layerConfig.pipe(
  Layer.provide(NodeServer.layerConfig({ port: Config.integer("PORT").pipe(Config.withDefault(3000)) })),
  // The server answers what never reaches the service (malformed requests, timeouts, shutdown) in its format.
  Layer.provide(ErrataConfig.layerConfig()),
  Layer.provide(Logging.layerJson())
)

Layer.launch(HttpLive).pipe(NodeRuntime.runMain)
