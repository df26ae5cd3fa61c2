import { FetchHttpClient } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { ErrataClient } from "@errata/client"
import { Config, Console, Effect } from "effect"
import { Api } from "./Api.js"

const program = Effect.gen(function*() {
  const baseUrl = yield* Config.string("BASE_URL").pipe(Config.withDefault("http://localhost:3001"))
  const client = yield* ErrataClient.make(Api, { baseUrl })
  for (const name of ["alpha", "beta", "gamma", "delta"]) {
    const project = yield* client.projects.create({ payload: { name } })
    yield* Console.log(`created ${project.id} (${project.name})`)
  }
}).pipe(
  // The server's error, decoded from its wire format into the same class, with its own fields.
  Effect.catchTag("PlanLimitReached", (error) => Console.log(`plan limit reached: ${error.limit} projects`)),
  Effect.provide(FetchHttpClient.layer)
)

NodeRuntime.runMain(program)
