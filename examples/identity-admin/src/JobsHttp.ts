/**
 * The HTTP handlers of the jobs and exports groups: administrators only. An import's body is read here rather than
 * by HttpApi, which reads a body of a type other than JSON, a form or `text/*` as bytes — bytes a request with an
 * `Idempotency-Key` no longer has once the key's fingerprint has read its text.
 */
import { UnsupportedMediaType } from "@errata/domain/FrameworkErrors"
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { Exports } from "./Export.js"
import { JobPage, uploadFormats } from "./Job.js"
import { Jobs } from "./Jobs.js"

const admin = Authentication.requireRole("admin")

/** Who started a job, for the record: `client:<id>` or `user:<id>`. */
const starter = Effect.map(admin, (principal) => `${principal.kind}:${principal.subject}`)

export const JobsHttpLive = ErrataServer.group(AdminApi, "jobs", (handlers) =>
  Effect.gen(function*() {
    const jobs = yield* Jobs
    return handlers
      .handleRaw("createImport", ({ request }) =>
        Effect.gen(function*() {
          const createdBy = yield* starter
          const format = uploadFormats.get((request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase())
          if (format === undefined) {
            const accepted = Array.from(uploadFormats.keys()).join(" or ")
            return yield* Effect.fail(new UnsupportedMediaType({ message: `The request body must be ${accepted}` }))
          }
          const text = yield* Effect.orDie(request.text)
          return yield* jobs.createImport({ format, text }, createdBy)
        }))
      .handle("createExport", () => Effect.flatMap(starter, jobs.createExport))
      .handle("get", ({ path }) => Effect.zipRight(admin, jobs.get(path.id)))
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          yield* admin
          const page = { limit: urlParams.limit ?? 50, offset: urlParams.offset ?? 0 }
          return new JobPage({ jobs: yield* jobs.list(page), ...page })
        }))
      .handle("cancel", ({ path }) => Effect.zipRight(admin, jobs.cancel(path.id)))
  }))

export const ExportsHttpLive = ErrataServer.group(AdminApi, "exports", (handlers) =>
  Effect.gen(function*() {
    const exports = yield* Exports
    return handlers.handle("create", () => Effect.zipRight(admin, exports.now))
  }))
