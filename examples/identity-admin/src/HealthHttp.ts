/**
 * The HTTP handlers of the health checks: `/health` answers while the process runs; `/ready` asks the database too,
 * and answers 503 `service_unavailable` until its schema is migrated and while it does not answer.
 */
import { SqlClient } from "@effect/sql"
import { ServiceUnavailable } from "@errata/domain/Errors"
import { ErrataServer } from "@errata/server"
import { Cause, Deferred, Effect } from "effect"
import { AdminApi, Health } from "./Api.js"
import { Migrated } from "./Database.js"

const ok = new Health({ status: "ok" })

const notReady = new ServiceUnavailable({ message: "The service is not ready", retryAfter: 5 })

export const HealthHttpLive = ErrataServer.group(AdminApi, "health", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const migrated = yield* Migrated
    return handlers
      .handle("health", () => Effect.succeed(ok))
      .handle("ready", () =>
        Effect.gen(function*() {
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
