import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { WireFormat } from "@errata/domain"
import { ErrataConfig, Logging } from "@errata/server"
import { Config, Layer } from "effect"
import { createServer } from "node:http"
import { ServerLive } from "./Server.js"

ServerLive.pipe(
  Layer.provide(ErrataConfig.layer({ format: WireFormat.ProblemDetails })),
  Layer.provide(NodeHttpServer.layerConfig(createServer, { port: Config.integer("PORT").pipe(Config.withDefault(3001)) })),
  Layer.provide(Logging.layerJson()),
  Layer.launch,
  NodeRuntime.runMain
)
