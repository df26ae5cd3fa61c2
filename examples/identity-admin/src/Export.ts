/**
 * Exports of the users: every user as the API shows them (never a password hash), in one document delivered to the
 * export destination (`Upstream`) under a name of its own. `POST /api/admin/exports` delivers one at once and answers
 * with its receipt, or with the destination's failure (502 `bad_gateway`, 504 `timeout`); an export job delivers one
 * in the background, and fails as `export_failed` where the request would have answered 502 or 504.
 */
import type { BadGateway, DatabaseError, Timeout } from "@errata/domain/Errors"
import { Clock, DateTime, Effect, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { ExportDocument, Upstream } from "./Upstream.js"
import type { User } from "./User.js"
import { Users } from "./Users.js"

/** An export delivered: under which name, with how many users, when. */
export class ExportReceipt extends Schema.Class<ExportReceipt>("ExportReceipt")({
  name: Schema.String,
  exported: Schema.Int,
  exportedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("exported_at"))
}) {}

const pageSize = 500

/** The name of an export made by a request (`exp_…`) or by a job (its id). */
export const exportName = (id: string = `exp_${randomUUID().replace(/-/g, "")}`) => `users-${id}.json`

export class Exports extends Effect.Service<Exports>()("identity-admin/Exports", {
  effect: Effect.gen(function*() {
    const users = yield* Users
    const upstream = yield* Upstream

    /** Every user, in the order of creation. */
    const collect: Effect.Effect<ReadonlyArray<User>, DatabaseError> = Effect.gen(function*() {
      const all: Array<User> = []
      for (let offset = 0;; offset += pageSize) {
        const page = yield* users.list({ limit: pageSize, offset, sort: { key: "created_at", descending: false } })
        all.push(...page)
        if (page.length < pageSize) return all
      }
    })

    const deliver = (name: string, exported: ReadonlyArray<User>): Effect.Effect<ExportReceipt, BadGateway | Timeout> =>
      Effect.gen(function*() {
        const exportedAt = DateTime.unsafeMake(yield* Clock.currentTimeMillis)
        yield* upstream.deliver(new ExportDocument({ name, exportedAt, users: exported }))
        return new ExportReceipt({ name, exported: exported.length, exportedAt })
      })

    /** Collects the users and delivers them at once. */
    const now: Effect.Effect<ExportReceipt, BadGateway | Timeout | DatabaseError> = Effect.flatMap(
      collect,
      (exported) => deliver(exportName(), exported)
    )

    return { collect, deliver, now } as const
  })
}) {}
