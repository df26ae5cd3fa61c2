/**
 * Starts the reference service: `pnpm start`. Configuration by environment: `PORT` (default 3000) and the
 * variables `ReferenceServer.layerConfig` reads.
 */
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Config, Layer } from "effect"
import { createServer } from "node:http"
import * as Logging from "../Logging.js"
import * as ReferenceServer from "./ReferenceServer.js"

const HttpLive = ReferenceServer.layerConfig.pipe(
  Layer.provide(NodeHttpServer.layerConfig(createServer, { port: Config.integer("PORT").pipe(Config.withDefault(3000)) })),
  Layer.provide(Logging.layerJson())
)

Layer.launch(HttpLive).pipe(NodeRuntime.runMain)
