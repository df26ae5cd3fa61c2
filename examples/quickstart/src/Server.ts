import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { ErrataServer } from "@errata/server"
import { Effect, Layer, Ref } from "effect"
import { Api, PlanLimitReached, Project } from "./Api.js"

const limit = 3

// A handler may fail only with the errors its endpoint declares: anything else does not compile.
export const ProjectsLive = ErrataServer.group(Api, "projects", (handlers) =>
  Effect.gen(function*() {
    const created = yield* Ref.make(0)
    return handlers.handle("create", ({ payload }) =>
      Effect.gen(function*() {
        const count = yield* Ref.get(created)
        if (count >= limit) return yield* new PlanLimitReached({ limit })
        yield* Ref.set(created, count + 1)
        return new Project({ id: `prj_${count + 1}`, name: payload.name })
      }))
  }))

// The API with Errata's middleware: request ids, limits, and every failure in the configured wire format.
export const ServerLive = HttpApiBuilder.serve().pipe(
  HttpServer.withLogAddress,
  Layer.provide(ErrataServer.layer(Api).pipe(Layer.provide(ProjectsLive)))
)
