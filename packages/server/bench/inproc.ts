/**
 * The unknown-route 404 path of HttpApi alone and of an Errata server, in-process through \`toWebHandler\` (no network,
 * no second process): CPU time per request, three interleaved rounds. \`tsx packages/server/bench/inproc.ts\`.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { AdminApi } from "@errata/domain"
import { Layer } from "effect"
import * as ErrataConfig from "../src/ErrataConfig.js"
import * as ErrataServer from "../src/ErrataServer.js"
import * as Logging from "../src/Logging.js"
import { Database, Users, UsersRepository } from "../src/reference/index.js"
import { UsersHttpLive } from "../src/reference/UsersHttp.js"
const api = HttpApiBuilder.api(AdminApi).pipe(Layer.provide(UsersHttpLive), Layer.provide(Users.Default),
  Layer.provide(UsersRepository.Default.pipe(Layer.provide(Database.layer({ filename: "/tmp/inproc.db" })))))
const base = Layer.mergeAll(api, HttpServer.layerContext)
const native = HttpApiBuilder.toWebHandler(base as any).handler
const errata = HttpApiBuilder.toWebHandler(Layer.mergeAll(base, ErrataServer.layer(AdminApi).pipe(Layer.provide(ErrataConfig.layer({})))).pipe(Layer.provide(Logging.layerJson())) as any).handler
/** CPU time (user + system) per request, in µs: steadier than wall time on a shared machine. */
const time = async (handler: (r: Request) => Promise<Response>, n: number) => {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) await (await handler(new Request("http://x/api/nowhere"))).text()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / n
}
await time(native, 3000); await time(errata, 3000)
for (let round = 0; round < 3; round++) {
  console.error(`round ${round}: native ${(await time(native, 10000)).toFixed(1)} µs, errata ${(await time(errata, 10000)).toFixed(1)} µs CPU per request`)
}
process.exit(0)
