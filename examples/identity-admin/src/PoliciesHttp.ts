/**
 * The HTTP handlers of the policies group: administrators only.
 */
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { Policies } from "./Policies.js"
import { PolicyList } from "./Policy.js"

const admin = Authentication.requireRole("admin")

export const PoliciesHttpLive = ErrataServer.group(AdminApi, "policies", (handlers) =>
  Effect.gen(function*() {
    const policies = yield* Policies
    return handlers
      .handle("create", ({ payload }) => Effect.zipRight(admin, policies.create(payload)))
      .handle("get", ({ path }) => Effect.zipRight(admin, policies.get(path.id)))
      .handle("list", () =>
        Effect.zipRight(admin, Effect.map(policies.list, (list) => new PolicyList({ policies: list }))))
  }))
