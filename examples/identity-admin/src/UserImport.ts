/**
 * A bulk import of users: an upload read into rows — CSV with a header row naming `email`, `name`, `password` and
 * optionally `role`, or JSON lines — each row checked by the users module's own rules, then the users inserted.
 *
 * All or nothing: every row is checked, and the users are inserted in one transaction with the job's end, only if
 * every row passed; otherwise nothing is inserted and the job fails as `import_failed`, with one field error per
 * problem, named by the row's index in the upload and the field: `rows[0]` is the first user (the CSV header and
 * blank lines are not rows), `rows[3].email` the email of the fourth. Everything wrong with an upload is the
 * caller's to fix, and so `import_failed`: a line that is not JSON, a CSV record that does not parse, a header
 * without `email`, `name` or `password`, no rows at all. `job_failed` is kept for the service's own failures.
 */
import { SqlClient } from "@effect/sql"
import type { CatalogError } from "@errata/domain"
import { Validation } from "@errata/domain"
import type { DatabaseError } from "@errata/domain/Errors"
import { EmailAlreadyExists } from "@errata/domain/Errors"
import { parse as parseCsv } from "csv-parse/sync"
import { Clock, Effect, Either, Option, ParseResult, Schema } from "effect"
import type { UploadFormat } from "./Job.js"
import { JobFailure, JobResult, UploadFormat as UploadFormatSchema } from "./Job.js"
import type { Claim, JobLost, Outcome, Progress } from "./JobsRepository.js"
import { JobsRepository } from "./JobsRepository.js"
import * as Passwords from "./Passwords.js"
import { orDatabaseError } from "./Sql.js"
import { EmailInput, normalizeEmail, PasswordInput, Role, UserName } from "./User.js"
import { newUserId } from "./Users.js"
import { UsersRepository } from "./UsersRepository.js"

type FieldError = CatalogError.FieldError

/** An upload as a job keeps it until it ends. */
export const StoredUpload = Schema.parseJson(Schema.Struct({ format: UploadFormatSchema, text: Schema.String }))

/** A row of an upload: a user to create. */
const ImportRow = Schema.Struct({
  email: EmailInput,
  name: UserName,
  password: PasswordInput,
  role: Schema.optional(Role)
})

const decodeRow = Schema.decodeUnknownEither(ImportRow)

/** A row of the upload: what it holds, or why it could not be read. */
type Read = Either.Either<unknown, FieldError>

/** What an upload holds: its rows, or a problem of the whole upload. */
interface Upload {
  readonly rows: ReadonlyArray<Read>
  readonly problems: ReadonlyArray<FieldError>
}

const row = (index: number) => `rows[${index}]`

const readNdjson = (text: string): Upload => ({
  rows: text.split(/\r?\n/).filter((line) => line.trim() !== "").map((line, index): Read => {
    try {
      return Either.right(JSON.parse(line))
    } catch {
      return Either.left({ field: row(index), message: `${row(index)} is not valid JSON`, code: "invalid_json" })
    }
  }),
  problems: []
})

const columns = ["email", "name", "password", "role"]
const requiredColumns = ["email", "name", "password"]
const known = columns.join(", ")

const csvProblems: Record<string, string> = {
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "does not have as many fields as the header",
  CSV_QUOTE_NOT_CLOSED: "has a quote that is never closed",
  INVALID_OPENING_QUOTE: "has a quote inside a field that is not quoted"
}

const readCsv = (text: string): Upload => {
  const records: Array<Either.Either<ReadonlyArray<string>, string>> = []
  try {
    parseCsv(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: (record: Array<string>) => {
        records.push(Either.right(record))
        return record
      },
      on_skip: (error) => {
        records.push(Either.left(error?.code ?? ""))
      }
    })
  } catch {
    return { rows: [], problems: [{ field: "rows", message: "The upload is not valid CSV", code: "invalid_csv" }] }
  }
  const [first, ...rest] = records
  if (first === undefined) return { rows: [], problems: [] }
  if (Either.isLeft(first)) {
    const problem = { field: "header", message: "The header row is not valid CSV", code: "invalid_csv" }
    return { rows: [], problems: [problem] }
  }
  const header = first.right.map((name) => name.trim().toLowerCase())
  const problems: Array<FieldError> = [
    ...requiredColumns.filter((name) => !header.includes(name)).map((name) => ({
      field: `header.${name}`,
      message: `header.${name} is a column the header must name`,
      code: "required"
    })),
    ...header.flatMap((name, i) =>
      columns.includes(name) && header.indexOf(name) === i ? [] : [{
        field: `header[${i}]`,
        // Never the cell itself: a file without a header has a user's password there.
        message: `header[${i}] is an unknown or repeated column; the columns are ${known}`,
        code: "unknown_column"
      }]
    )
  ]
  if (problems.length > 0) return { rows: [], problems }
  return {
    rows: rest.map((record, index): Read =>
      Either.match(record, {
        onLeft: (code) =>
          Either.left({ field: row(index), message: `${row(index)} ${csvProblems[code] ?? "is not valid CSV"}`, code: "invalid_csv" }),
        onRight: (fields) =>
          Either.right(Object.fromEntries(
            header.flatMap((name, i) => name === "role" && fields[i] === "" ? [] : [[name, fields[i]]])
          ))
      })
    ),
    problems: []
  }
}

/** An upload's rows, whichever its format. */
export const read = (format: UploadFormat, text: string): Upload => format === "csv" ? readCsv(text) : readNdjson(text)

/** The row's schema issues, one per field, named after the row: `rows[3].email must be a valid email address`. */
const issuesOf = (index: number, error: ParseResult.ParseError): Array<FieldError> =>
  Array.from(Validation.fieldErrors(Validation.violations(error.issue, { root: row(index), prefix: ["rows", index] })))

const alreadyInUse = (field: string): FieldError => ({ field, message: `${field} is already in use`, code: "already_exists" })

/** A user ready to insert. */
interface Prepared {
  readonly index: number
  readonly email: string
  readonly name: string
  readonly passwordHash: string
  readonly role: Role
}

/** Progress is written at most this often (milliseconds), and at the end. */
const progressEvery = 250

/** The problems an import keeps and reports, at most: the first ones, and how many more. */
const maxRowErrors = 500

export class UserImport extends Effect.Service<UserImport>()("identity-admin/UserImport", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const users = yield* UsersRepository
    const jobs = yield* JobsRepository

    /** The problems of one row, given the normalized emails of the rows before it. */
    const check = (
      index: number,
      value: unknown,
      seen: Map<string, number>
    ): Effect.Effect<Either.Either<typeof ImportRow.Type, Array<FieldError>>, DatabaseError> =>
      Effect.gen(function*() {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          return Either.left([{ field: row(index), message: `${row(index)} must be an object`, code: "invalid_type" }])
        }
        const raw = value as Record<string, unknown>
        const decoded = decodeRow(raw, { errors: "all", onExcessProperty: "error" })
        const errors = Either.isLeft(decoded) ? issuesOf(index, decoded.left) : []
        const fine = (field: string) => !errors.some((error) => error.field === `${row(index)}.${field}`)
        const email = typeof raw.email === "string" && fine("email") ? normalizeEmail(raw.email) : undefined
        if (email !== undefined) {
          const emailField = `${row(index)}.email`
          const earlier = seen.get(email)
          if (earlier !== undefined) {
            errors.push({ field: emailField, message: `${emailField} is the email of ${row(earlier)} too`, code: "duplicate" })
          } else {
            seen.set(email, index)
            if (Option.isSome(yield* users.findByEmail(email))) {
              errors.push(alreadyInUse(emailField))
            }
          }
        }
        return errors.length === 0 && Either.isRight(decoded) && email !== undefined
          ? Either.right({ ...decoded.right, email })
          : Either.left(errors)
      })

    /** Inserts the users with the job's end, in one transaction: both or neither. */
    const commit = (claim: Claim, prepared: ReadonlyArray<Prepared>, progress: Progress) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* jobs.finish(claim, {
          _tag: "Succeeded",
          result: new JobResult({ imported: prepared.length }),
          progress
        })
        for (const user of prepared) {
          yield* users.insert({
            id: newUserId(),
            email: user.email,
            name: user.name,
            passwordHash: user.passwordHash,
            role: user.role
          }).pipe(Effect.catchIf(
            (error): error is EmailAlreadyExists => error instanceof EmailAlreadyExists,
            () =>
              Effect.fail<Array<FieldError>>([
                alreadyInUse(`${row(user.index)}.email`)
              ])
          ))
        }
      })).pipe(orDatabaseError)

    /**
     * Imports the users of a held job's upload. `None` when the import ended the job itself (its users are committed
     * with the job's end); otherwise how the job ends.
     */
    const run = (claim: Claim, payload: string): Effect.Effect<Option.Option<Outcome>, JobLost | DatabaseError> =>
      Effect.gen(function*() {
        const upload = yield* Effect.orDie(Schema.decode(StoredUpload)(payload))
        const { problems, rows } = read(upload.format, upload.text)
        const total = rows.length
        const rejected = (errors: ReadonlyArray<FieldError>, done: number): Outcome => ({
          _tag: "Failed",
          failure: new JobFailure({
            code: "import_failed",
            message: "The upload has rows that cannot be imported; nothing was imported"
          }),
          rowErrors: errors.length <= maxRowErrors ? errors : [
            ...errors.slice(0, maxRowErrors),
            { field: "rows", message: `and ${errors.length - maxRowErrors} more problems`, code: "truncated" }
          ],
          progress: { done, total }
        })
        if (problems.length > 0) return Option.some(rejected(problems, 0))
        if (total === 0) {
          return Option.some(rejected([{ field: "rows", message: "The upload has no rows", code: "required" }], 0))
        }
        yield* jobs.progress(claim, 0, total)
        const errors: Array<FieldError> = []
        const prepared: Array<Prepared> = []
        const seen = new Map<string, number>()
        let reportedAt = yield* Clock.currentTimeMillis
        for (const [index, entry] of rows.entries()) {
          const checked = Either.isLeft(entry)
            ? Either.left([entry.left])
            : yield* check(index, entry.right, seen)
          if (Either.isLeft(checked)) {
            errors.push(...checked.left)
          } else if (errors.length === 0) {
            prepared.push({
              index,
              email: checked.right.email,
              name: checked.right.name,
              passwordHash: yield* Passwords.hash(checked.right.password),
              role: checked.right.role ?? "member"
            })
          }
          const now = yield* Clock.currentTimeMillis
          if (now - reportedAt >= progressEvery) {
            yield* jobs.progress(claim, index + 1, total)
            reportedAt = now
          }
        }
        if (errors.length > 0) return Option.some(rejected(errors, total))
        return yield* commit(claim, prepared, { done: total, total }).pipe(
          Effect.as(Option.none<Outcome>()),
          Effect.catchIf(
            (error): error is Array<FieldError> => Array.isArray(error),
            (taken) => Effect.succeed(Option.some(rejected(taken, total)))
          )
        )
      })

    return { run } as const
  })
}) {}
