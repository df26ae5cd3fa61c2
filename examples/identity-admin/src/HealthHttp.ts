/**
 * The HTTP handlers of the health checks: `/health` answers while the process runs; `/ready` asks the database too,
 * and answers 503 `service_unavailable` while it does not answer.
 */
import { SqlClient } from "@effect/sql"
import { ServiceUnavailable } from "@errata/domain/Errors"
import { ErrataServer } from "@errata/server"
import { Cause, Effect } from "effect"
import { AdminApi, Health } from "./Api.js"

const ok = new Health({ status: "ok" })

export const HealthHttpLive = ErrataServer.group(AdminApi, "health", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return handlers
      .handle("health", () => Effect.succeed(ok))
      .handle("ready", () =>
        sql`SELECT 1`.pipe(
          Effect.as(ok),
          Effect.catchAll((error) =>
            Effect.zipRight(
              Effect.logWarning("not ready: the database does not answer", Cause.fail(error)),
              Effect.fail(new ServiceUnavailable({ message: "The service is not ready", retryAfter: 5 }))
            )
          )
        ))
  }))
