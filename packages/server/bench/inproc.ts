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
const time = async (handler: (r: Request) => Promise<Response>, n: number) => {
  const t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await (await handler(new Request("http://x/api/nowhere"))).text()
  return Number(process.hrtime.bigint() - t) / n / 1000
}
await time(native, 3000); await time(errata, 3000)
for (let round = 0; round < 3; round++) {
  console.error(`round ${round}: native ${(await time(native, 10000)).toFixed(1)} µs, errata ${(await time(errata, 10000)).toFixed(1)} µs`)
}
process.exit(0)
