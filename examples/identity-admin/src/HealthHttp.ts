/**
 * The HTTP handlers of the health checks: `/health` answers while the process runs; `/ready` asks the database too,
 * and answers 503 `service_unavailable` until its schema is migrated, while it does not answer, and in maintenance.
 */
import { SqlClient } from "@effect/sql"
import { ServiceUnavailable } from "@errata/domain/Errors"
import { Admission, ErrataServer } from "@errata/server"
import { Cause, Deferred, Effect } from "effect"
import { AdminApi, Health } from "./Api.js"
import { Migrated } from "./Database.js"

const ok = new Health({ status: "ok" })

const inMaintenance = new ServiceUnavailable({ message: "The service is in maintenance", retryAfter: 60 })

const notReady = new ServiceUnavailable({ message: "The service is not ready", retryAfter: 5 })

export const HealthHttpLive = ErrataServer.group(AdminApi, "health", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const migrated = yield* Migrated
    const admission = yield* Admission.Admission
    return handlers
      .handle("health", () => Effect.succeed(ok))
      .handle("ready", () =>
        Effect.gen(function*() {
          // In maintenance, a load balancer is to send the traffic elsewhere.
          if (yield* admission.maintenance) return yield* Effect.fail(inMaintenance)
          if (!(yield* Deferred.isDone(migrated))) {
            yield* Effect.logWarning("not ready: the database is not migrated yet")
            return yield* Effect.fail(notReady)
          }
          return yield* sql`SELECT 1`.pipe(
            Effect.as(ok),
            Effect.catchAll((error) =>
              Effect.zipRight(
                Effect.logWarning("not ready: the database does not answer", Cause.fail(error)),
                Effect.fail(notReady)
              )
            )
          )
        }))
  }))
