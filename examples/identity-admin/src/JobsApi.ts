/**
 * The background jobs and exports part of the identity-admin contract (`Api.ts` adds it to `AdminApi`):
 * administrators only, with the scopes `jobs:write` (to start, cancel, or export at once) and `jobs:read`.
 *
 * `POST /api/admin/jobs/imports` takes CSV (`text/csv`) or JSON lines (`application/x-ndjson`) and answers 202 with
 * the job; `POST /api/admin/jobs/exports` queues an export of every user to the export destination.
 * `GET /api/admin/jobs/{id}` answers the job, or the error of a job that was cancelled or failed; the list shows
 * every job as it is. `POST /api/admin/exports` exports at once: 201 with the receipt, or the destination's failure.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Authentication } from "@errata/domain"
import {
  BadGateway,
  Conflict,
  DatabaseError,
  ExportFailed,
  Forbidden,
  ImportFailed,
  JobCancelled,
  JobFailed,
  JobNotFound,
  Timeout
} from "@errata/domain/Errors"
import { ExportReceipt } from "./Export.js"
import { ImportUpload, Job, JobId, JobListParams, JobPage } from "./Job.js"

const idPath = HttpApiSchema.param("id", JobId)
const read = Authentication.scopes("jobs:read")
const write = Authentication.scopes("jobs:write")

/** Background jobs: imports and exports of users, their progress and outcome, and cancelling them. */
export class JobsApi extends HttpApiGroup.make("jobs")
  .add(
    HttpApiEndpoint.post("createImport", "/api/admin/jobs/imports")
      .setPayload(ImportUpload)
      .addSuccess(Job, { status: 202 })
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.post("createExport", "/api/admin/jobs/exports")
      .addSuccess(Job, { status: 202 })
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/jobs/${idPath}`
      .addSuccess(Job)
      .addError(JobNotFound)
      .addError(JobCancelled)
      .addError(ImportFailed)
      .addError(ExportFailed)
      .addError(JobFailed)
      .addError(Forbidden)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/jobs")
      .setUrlParams(JobListParams)
      .addSuccess(JobPage)
      .addError(Forbidden)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.post("cancel")`/api/admin/jobs/${idPath}/cancel`
      .addSuccess(Job)
      .addError(JobNotFound)
      .addError(Conflict)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}

/** An export of every user, delivered to the export destination while the request waits. */
export class ExportsApi extends HttpApiGroup.make("exports")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/exports")
      .addSuccess(ExportReceipt, { status: 201 })
      .addError(BadGateway)
      .addError(Timeout)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}
