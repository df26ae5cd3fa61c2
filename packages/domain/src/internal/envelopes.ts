/**
 * The envelopes of the seed documents' four shapes and of RFC 9457. Each holds every rule of its format; nothing
 * outside an envelope knows them.
 */
import { Predicate } from "effect"
import type * as CatalogError from "../CatalogError.js"
import { BadRequest, InvalidJson, ValidationError, ValidationFailed } from "../Errors.js"
import type * as WireFormat from "../WireFormat.js"
import { members } from "./codec.js"

type JsonSchema = WireFormat.JsonSchema

const string: JsonSchema = { type: "string" }
const seconds: JsonSchema = { type: "integer", minimum: 0, description: "Seconds to wait before retrying" }
const requestIdSchema: JsonSchema = { type: "string", description: "The request id, as in X-Request-ID" }
const debugSchema: JsonSchema = {
  type: "object",
  description: "Only in debug mode: stack trace, request body (secrets redacted) and timestamp"
}

const object = (properties: Record<string, JsonSchema>, required: ReadonlyArray<string>, own: WireFormat.OwnSchema) => ({
  type: "object",
  required: [...required, ...own.required],
  properties: { ...properties, ...own.properties }
})

const fieldErrorItems = (withCode: boolean): JsonSchema => ({
  type: "array",
  items: {
    type: "object",
    required: ["field", "message"],
    properties: withCode ? { field: string, message: string, code: string } : { field: string, message: string }
  }
})

const isObject = Predicate.isRecord

/** The error's own fields beside the envelope's members, and debug details when the server adds them. */
const withOwnAndDebug = (body: Record<string, unknown>, error: WireFormat.Outgoing): Record<string, unknown> => {
  Object.assign(body, error.own)
  if (error.debug !== undefined) body.debug = error.debug
  return body
}

const withoutCode = (errors: ReadonlyArray<CatalogError.FieldError>) =>
  errors.map(({ field, message }) => ({ field, message }))

/**
 * Field errors keyed by field. A container holding members of which none is a field error is someone else's
 * `details` (seed 002 and 004 use the member for any additional information), not an empty list.
 */
const fieldErrorsFromKeyed = (
  u: unknown,
  entry: (field: string, value: unknown) => CatalogError.FieldError | undefined
): ReadonlyArray<CatalogError.FieldError> | undefined => {
  if (!isObject(u)) return undefined
  const keys = Object.keys(u)
  const out: Array<CatalogError.FieldError> = []
  for (const field of keys) {
    const fieldError = entry(field, u[field])
    if (fieldError !== undefined) out.push(fieldError)
  }
  return out.length === 0 && keys.length > 0 ? undefined : out
}

const listOf = (u: unknown): ReadonlyArray<unknown> | undefined => Array.isArray(u) ? u : undefined

/** `Object.fromEntries` defines own properties, so a field named `__proto__` stays a field. */
const keyedBy = <A>(errors: ReadonlyArray<CatalogError.FieldError>, value: (error: CatalogError.FieldError) => A) =>
  Object.fromEntries(errors.map((error) => [error.field, value(error)]))

/** Seeds 000 and 001. */
export const oauthStyle: WireFormat.Envelope<typeof ValidationFailed, typeof BadRequest> = {
  name: "oauth-style",
  source: "seeds 000, 001",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: true, requestIdInBody: false, retryAfterInBody: true },
  // `details` and `request_id` tell seed 004's shape from this one.
  reservedMembers: ["error", "error_description", "validation_errors", "retry_after", "debug", "details", "request_id"],
  // Seed 000 documents 400 `validation_failed`, and only `bad_request` for a malformed request.
  validationError: ValidationFailed,
  malformedBody: BadRequest,
  // Seed 004's `details` and `request_id` are not part of this shape: such a body is `oauth-details`.
  recognizes: (json) => isObject(json) && typeof json.error === "string" && !("details" in json) && !("request_id" in json),
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        error: error.metadata.code,
        error_description: error.message,
        validation_errors: error.fieldErrors && withoutCode(error.fieldErrors),
        retry_after: error.retryAfter
      }),
      error
    ),
  read: (json) =>
    isObject(json) && typeof json.error === "string"
      ? {
        code: json.error,
        message: json.error_description,
        fieldErrors: listOf(json.validation_errors),
        retryAfter: json.retry_after,
        requestId: undefined,
        own: json
      }
      : undefined,
  jsonSchema: ({ metadata, own }) =>
    object({
      error: { const: metadata.code },
      error_description: string,
      validation_errors: fieldErrorItems(false),
      retry_after: seconds,
      debug: debugSchema
    }, ["error", "error_description"], own)
}

/** Seed 002. */
export const codeMessage: WireFormat.Envelope<typeof ValidationError, typeof BadRequest> = {
  name: "code-message",
  source: "seed 002",
  contentType: "application/json",
  carries: { fieldErrorCodes: true, fieldErrorList: false, requestIdInBody: true, retryAfterInBody: false },
  // `error` and `status` tell other shapes from this one.
  reservedMembers: ["code", "message", "details", "request_id", "debug", "error", "status"],
  validationError: ValidationError,
  // Seed 002 has no code for malformed JSON; `BAD_REQUEST` is its malformed request.
  malformedBody: BadRequest,
  // A problem (RFC 9457) also has a string `code` member, and a numeric `status` this shape never has.
  recognizes: (json) =>
    isObject(json) && typeof json.code === "string" && !("error" in json) && typeof json.status !== "number",
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        code: error.metadata.code.toUpperCase(),
        message: error.message,
        details: error.fieldErrors &&
          keyedBy(error.fieldErrors, ({ code, message }) => code === undefined ? { message } : { code, message }),
        request_id: error.requestId
      }),
      error
    ),
  read: (json) =>
    isObject(json) && typeof json.code === "string"
      ? {
        code: json.code,
        message: json.message,
        fieldErrors: fieldErrorsFromKeyed(json.details, (field, value) =>
          isObject(value) && typeof value.message === "string"
            ? typeof value.code === "string"
              ? { field, message: value.message, code: value.code }
              : { field, message: value.message }
            : undefined),
        retryAfter: undefined,
        requestId: json.request_id,
        own: json
      }
      : undefined,
  jsonSchema: ({ metadata, own }) =>
    object({
      code: { const: metadata.code.toUpperCase() },
      message: string,
      details: {
        type: "object",
        description: "Field-level errors, by field",
        additionalProperties: { type: "object", required: ["message"], properties: { code: string, message: string } }
      },
      request_id: requestIdSchema,
      debug: debugSchema
    }, ["code", "message"], own)
}

/** Seed 003: it prints only the envelope's structure, so codes are sent in the catalog's lower snake case. */
export const nestedError: WireFormat.Envelope<typeof ValidationError, typeof BadRequest> = {
  name: "nested-error",
  source: "seed 003",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: true, requestIdInBody: false, retryAfterInBody: false },
  reservedMembers: ["code", "message", "details", "debug"],
  validationError: ValidationError,
  malformedBody: BadRequest,
  recognizes: (json) => isObject(json) && isObject(json.error) && typeof json.error.code === "string",
  write: (error) => ({
    error: withOwnAndDebug(
      members({}, {
        code: error.metadata.code,
        message: error.message,
        details: error.fieldErrors && withoutCode(error.fieldErrors)
      }),
      error
    )
  }),
  read: (json) =>
    isObject(json) && isObject(json.error) && typeof json.error.code === "string"
      ? {
        code: json.error.code,
        message: json.error.message,
        fieldErrors: listOf(json.error.details),
        retryAfter: undefined,
        requestId: undefined,
        own: json.error
      }
      : undefined,
  jsonSchema: ({ metadata, own }) => ({
    type: "object",
    required: ["error"],
    properties: {
      error: object({
        code: { const: metadata.code },
        message: string,
        details: fieldErrorItems(false),
        debug: debugSchema
      }, ["code", "message"], own)
    }
  })
}

/** Seed 004; `request_id` comes from its logging example (`request_id: error.request_id`). */
export const oauthDetails: WireFormat.Envelope<typeof ValidationError, typeof InvalidJson> = {
  name: "oauth-details",
  source: "seed 004",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: false, requestIdInBody: true, retryAfterInBody: true },
  reservedMembers: ["error", "error_description", "details", "retry_after", "request_id", "debug"],
  validationError: ValidationError,
  malformedBody: InvalidJson,
  recognizes: (json) => isObject(json) && typeof json.error === "string",
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        error: error.metadata.code,
        error_description: error.message,
        details: error.fieldErrors && keyedBy(error.fieldErrors, ({ message }) => message),
        retry_after: error.retryAfter,
        request_id: error.requestId
      }),
      error
    ),
  read: (json) =>
    isObject(json) && typeof json.error === "string"
      ? {
        code: json.error,
        message: json.error_description,
        fieldErrors: fieldErrorsFromKeyed(
          json.details,
          (field, message) => typeof message === "string" ? { field, message } : undefined
        ),
        retryAfter: json.retry_after,
        requestId: json.request_id,
        own: json
      }
      : undefined,
  jsonSchema: ({ metadata, own }) =>
    object({
      error: { const: metadata.code },
      error_description: string,
      details: {
        type: "object",
        description: "Field-level error messages, by field",
        additionalProperties: string
      },
      retry_after: seconds,
      request_id: requestIdSchema,
      debug: debugSchema
    }, ["error", "error_description"], own)
}

/** RFC 9457, with the catalog code, field errors, retry delay and request id as extension members. */
export const problemDetails: WireFormat.Envelope<typeof ValidationError, typeof InvalidJson> = {
  name: "problem-details",
  source: "RFC 9457",
  contentType: "application/problem+json",
  carries: { fieldErrorCodes: true, fieldErrorList: true, requestIdInBody: true, retryAfterInBody: true },
  reservedMembers: ["type", "title", "status", "detail", "instance", "code", "errors", "retry_after", "request_id", "debug"],
  validationError: ValidationError,
  malformedBody: InvalidJson,
  // Without its content type, a problem has a numeric status beside its type or title: an error's own field named
  // `type` does not make another dialect's body a problem.
  recognizes: (json, contentType) =>
    (contentType !== undefined && contentType.includes("application/problem+json")) ||
    (isObject(json) && typeof json.status === "number" && (typeof json.type === "string" || typeof json.title === "string")),
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        type: error.documentation,
        title: error.metadata.title,
        status: error.metadata.status,
        detail: error.message,
        instance: error.instance,
        code: error.metadata.code,
        errors: error.fieldErrors,
        retry_after: error.retryAfter,
        request_id: error.requestId
      }),
      error
    ),
  read: (json, { documentationBase }) => {
    if (!isObject(json)) return undefined
    const type = typeof json.type === "string" ? json.type : undefined
    const code = typeof json.code === "string"
      ? json.code
      : type !== undefined && type.startsWith(documentationBase)
      ? type.slice(documentationBase.length)
      : undefined
    return code === undefined ? undefined : {
      code,
      message: json.detail ?? json.title,
      fieldErrors: listOf(json.errors),
      retryAfter: json.retry_after,
      requestId: json.request_id,
      own: json
    }
  },
  jsonSchema: ({ documentation, metadata, own }) =>
    object({
      type: { const: documentation },
      title: { const: metadata.title },
      status: { const: metadata.status },
      detail: string,
      instance: string,
      code: { const: metadata.code },
      errors: fieldErrorItems(true),
      retry_after: seconds,
      request_id: requestIdSchema,
      debug: debugSchema
    }, ["type", "title", "status", "detail", "code"], own)
}
