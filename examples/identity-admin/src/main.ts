/**
 * Starts the identity-admin service: `pnpm start`. Configuration by environment: `PORT` (default 3000) and the
 * variables `IdentityAdmin.layerConfig` reads.
 */
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Logging } from "@errata/server"
import { Config, Layer } from "effect"
import { createServer } from "node:http"
import * as IdentityAdmin from "./IdentityAdmin.js"

const HttpLive = IdentityAdmin.layerConfig.pipe(
  Layer.provide(NodeHttpServer.layerConfig(createServer, { port: Config.integer("PORT").pipe(Config.withDefault(3000)) })),
  Layer.provide(Logging.layerJson())
)

Layer.launch(HttpLive).pipe(NodeRuntime.runMain)
