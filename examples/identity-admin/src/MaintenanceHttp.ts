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
 * The requests admission never turns away: the health checks, and the way to end maintenance — the switch, and the
 * token endpoint, so that an administrator whose token expired meanwhile can still get one to turn it off.
 */
export const exempt: NonNullable<Admission.Options["exempt"]> = (request) =>
  Admission.isHealthCheck(request) || wayOut.has(request.url.split("?")[0]!)
