/**
 * The unknown-route 404 path, for counting instructions: `VARIANT=native|errata N=…`, bundled and run under
 * `valgrind --tool=callgrind` by `bench/instructions.sh`. Two run lengths; the difference per request is steady where
 * wall time is not.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { AdminApi } from "@errata/domain"
import { Layer, Logger, LogLevel } from "effect"
import * as ErrataConfig from "../src/ErrataConfig.js"
import * as ErrataServer from "../src/ErrataServer.js"
import * as Logging from "../src/Logging.js"
import { AdminApiLive } from "../src/reference/UsersHttp.js"
import { UsersRepository } from "../src/reference/UsersRepository.js"

const base = Layer.mergeAll(AdminApiLive(UsersRepository.Unavailable), HttpServer.layerContext)
const layer = process.env.VARIANT === "native"
  ? base
  : Layer.mergeAll(base, ErrataServer.layer(AdminApi).pipe(Layer.provide(ErrataConfig.layer({})))).pipe(
    Layer.provide(process.env.NOLOG ? Logger.minimumLogLevel(LogLevel.None) : Logging.layerJson())
  )
const { handler } = HttpApiBuilder.toWebHandler(layer as any)
const n = Number(process.env.N ?? 1000)
for (let i = 0; i < n; i++) await (await handler(new Request("http://x/api/nowhere"))).text()
process.exit(0)
