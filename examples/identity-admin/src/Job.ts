/**
 * The jobs resource of the identity-admin API: a background job as the API shows it — its kind, status, progress,
 * the rejected rows of an import and the outcome — and the upload that starts a bulk import of users.
 */
import { HttpApiSchema } from "@effect/platform"
import { CatalogError, Validation } from "@errata/domain"
import { Schema } from "effect"
import { printable, printableRule } from "./User.js"

export const JobId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(64),
  printable,
  Validation.rule(printableRule),
  Schema.brand("JobId"),
  Schema.annotations({ description: "A job's id" })
)

export type JobId = typeof JobId.Type

/** What a job does: import users from an upload, or export every user to the export destination. */
export const JobKind = Schema.Literal("import_users", "export_users")

export type JobKind = typeof JobKind.Type

/**
 * Where a job is: `queued` until an instance claims it, `running` while one holds it, then `succeeded`, `failed`
 * or `cancelled` for good.
 */
export const JobStatus = Schema.Literal("queued", "running", "succeeded", "failed", "cancelled")

export type JobStatus = typeof JobStatus.Type

/** Rows (or users) done out of the total, which is unknown (`null`) until the job has read its input. */
export class JobProgress extends Schema.Class<JobProgress>("JobProgress")({
  done: Schema.Int,
  total: Schema.NullOr(Schema.Int)
}) {}

/** The error a failed job answers with when it is read: `import_failed`, `export_failed` or `job_failed`. */
export const FailureCode = Schema.Literal("import_failed", "export_failed", "job_failed")

export type FailureCode = typeof FailureCode.Type

export class JobFailure extends Schema.Class<JobFailure>("JobFailure")({
  code: FailureCode,
  message: Schema.String
}) {}

/** What a job that succeeded did: the users it imported, or the users it exported and where. */
export class JobResult extends Schema.Class<JobResult>("JobResult")({
  imported: Schema.optional(Schema.Int),
  exported: Schema.optional(Schema.Int),
  name: Schema.optional(Schema.String)
}) {}

export class Job extends Schema.Class<Job>("Job")({
  id: JobId,
  kind: JobKind,
  status: JobStatus,
  progress: JobProgress,
  /** The rejected rows of an import, one entry per field (`rows[3].email`); empty otherwise. */
  rowErrors: Schema.propertySignature(Schema.Array(CatalogError.FieldError)).pipe(Schema.fromKey("row_errors")),
  failure: Schema.optional(JobFailure),
  result: Schema.optional(JobResult),
  /** How many times an instance has claimed the job. */
  attempts: Schema.Int,
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at")),
  startedAt: Schema.optional(Schema.DateTimeUtc).pipe(Schema.fromKey("started_at")),
  finishedAt: Schema.optional(Schema.DateTimeUtc).pipe(Schema.fromKey("finished_at"))
}) {}

export class JobPage extends Schema.Class<JobPage>("JobPage")({
  jobs: Schema.Array(Job),
  limit: Schema.Int,
  offset: Schema.Int
}) {}

export const JobListParams = Schema.Struct({
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 100))),
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative()))
})

/** The formats an import reads. */
export const UploadFormat = Schema.Literal("csv", "ndjson")

export type UploadFormat = typeof UploadFormat.Type

/** An upload as the body of a request: its text, in the format its content type names. */
const upload = <const F extends UploadFormat>(format: F, contentType: string) =>
  Schema.transform(
    Schema.String,
    Schema.Struct({ format: Schema.Literal(format), text: Schema.String }),
    { strict: true, decode: (text) => ({ format, text }), encode: (upload) => upload.text }
  ).pipe(HttpApiSchema.withEncoding({ kind: "Text", contentType }))

/** `text/csv`: a header row naming `email`, `name`, `password` and optionally `role`, then one user a row. */
export const CsvUpload = upload("csv", "text/csv")

/** `application/x-ndjson`: one JSON object a line, `{ "email", "name", "password", "role"? }`. */
export const NdjsonUpload = upload("ndjson", "application/x-ndjson")

/** The body of `POST /api/admin/jobs/imports`: the users to import, as CSV or JSON lines. */
export const ImportUpload = Schema.Union(CsvUpload, NdjsonUpload)

export type ImportUpload = typeof ImportUpload.Type

/** The content types of an import's body, with the format of each. */
export const uploadFormats: ReadonlyMap<string, UploadFormat> = new Map([
  ["text/csv", "csv"],
  ["application/x-ndjson", "ndjson"]
])
