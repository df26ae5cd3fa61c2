/**
 * The HTTP handlers of the flows group: administrators only.
 */
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { FlowList } from "./Flow.js"
import { Flows } from "./Flows.js"

const admin = Authentication.requireRole("admin")

export const FlowsHttpLive = ErrataServer.group(AdminApi, "flows", (handlers) =>
  Effect.gen(function*() {
    const flows = yield* Flows
    return handlers
      .handle("create", ({ payload }) => Effect.zipRight(admin, flows.create(payload)))
      .handle("get", ({ path }) => Effect.zipRight(admin, flows.get(path.id)))
      .handle("list", () => Effect.zipRight(admin, Effect.map(flows.list, (list) => new FlowList({ flows: list }))))
      .handle("activate", ({ path }) => Effect.zipRight(admin, flows.setActive(path.id, true)))
      .handle("deactivate", ({ path }) => Effect.zipRight(admin, flows.setActive(path.id, false)))
      .handle("execute", ({ path, payload }) => Effect.zipRight(admin, flows.execute(path.id, payload.input)))
  }))
