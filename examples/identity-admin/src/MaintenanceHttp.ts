/**
 * The HTTP handlers of the maintenance switch: administrators read and set it; `Admission` answers for it.
 */
import { Admission, Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi, Maintenance } from "./Api.js"

const admin = Authentication.requireRole("admin")

export const MaintenanceHttpLive = ErrataServer.group(AdminApi, "maintenance", (handlers) =>
  Effect.gen(function*() {
    const admission = yield* Admission.Admission
    const current = Effect.map(admission.maintenance, (enabled) => new Maintenance({ enabled }))
    return handlers
      .handle("get", () => Effect.zipRight(admin, current))
      .handle("set", ({ payload }) => admin.pipe(Effect.zipRight(admission.setMaintenance(payload.enabled)), Effect.zipRight(current)))
  }))

const wayOut = new Set(["/api/admin/maintenance", "/oauth/token"])

/**
 * The requests maintenance lets through: the switch, and the token endpoint, so that an administrator whose token
 * expired meanwhile can still get one to turn it off. They count against the bound on requests in flight like any
 * other (the token endpoint is open to anyone, and hashes secrets).
 */
export const openInMaintenance: NonNullable<Admission.Options["openInMaintenance"]> = (request) =>
  wayOut.has(request.url.split("?")[0]!)
