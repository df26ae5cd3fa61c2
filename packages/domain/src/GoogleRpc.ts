/**
 * Google's error model (AIP-193) as JSON, the `google-rpc` wire format:
 * `{ "error": { "code": <HTTP status>, "message", "status": <google.rpc.Code name>, "details": [ … ] } }`, with
 * typed details: `ErrorInfo` (`reason` is the catalog code in upper snake case, `domain` is configurable,
 * `metadata` holds the error's own fields as strings), `BadRequest` (`fieldViolations` with `field`,
 * `description` and `reason`), `RetryInfo` (`retryDelay: "30s"`), `RequestInfo` (`requestId`), `Help` (a link to
 * the error's documentation page) and, in debug mode, `DebugInfo`.
 *
 * Decoding maps by `ErrorInfo.reason`, which AIP-193 makes unique within its `domain`: a reason of another domain,
 * one the catalog does not know, or a response with no `ErrorInfo` at all (a Google API answering with a bare
 * status) gives an `UnknownApiError` with the status and the reason (or the status name). It is told from seed 003's
 * `nested-error` by its numeric `code`. Own fields travel as strings: a field whose schema takes a string and
 * another type (`NullOr(String)`) comes back as the string.
 *
 * This module is written only with `WireFormat`'s public API, as a user's own format would be.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"
import type * as CatalogError from "./CatalogError.js"
import { InvalidJson, ValidationFailed } from "./Errors.js"
import * as WireFormat from "./WireFormat.js"

const typePrefix = "type.googleapis.com/google.rpc."

/**
 * The `@type` of each detail this format writes and reads.
 *
 * @since 0.1.0
 * @category constants
 */
export const detailTypes = {
  errorInfo: `${typePrefix}ErrorInfo`,
  badRequest: `${typePrefix}BadRequest`,
  retryInfo: `${typePrefix}RetryInfo`,
  requestInfo: `${typePrefix}RequestInfo`,
  help: `${typePrefix}Help`,
  debugInfo: `${typePrefix}DebugInfo`
} as const

/**
 * The `google.rpc.Code` name of an error, by its HTTP status as AIP-193 maps them; a 400 about the state of a
 * resource is `FAILED_PRECONDITION`, a 409 whose code says something exists already (`…_already_exists`,
 * `duplicate_…`) `ALREADY_EXISTS`. `envelope({ status })` takes another mapping.
 *
 * @since 0.1.0
 * @category codes
 */
export const statusName = (metadata: CatalogError.Metadata): string => {
  switch (metadata.status) {
    case 400:
      return metadata.category === "state" || metadata.category === "job" ? "FAILED_PRECONDITION" : "INVALID_ARGUMENT"
    case 401:
      return "UNAUTHENTICATED"
    case 403:
      return "PERMISSION_DENIED"
    case 404:
      return "NOT_FOUND"
    case 405:
    case 501:
      return "UNIMPLEMENTED"
    case 409:
      return /already_exists$|^duplicate_/.test(metadata.code) ? "ALREADY_EXISTS" : "ABORTED"
    case 429:
      return "RESOURCE_EXHAUSTED"
    case 499:
      return "CANCELLED"
    case 502:
    case 503:
      return "UNAVAILABLE"
    case 504:
      return "DEADLINE_EXCEEDED"
    default:
      return metadata.status < 500 ? "INVALID_ARGUMENT" : "INTERNAL"
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** `ErrorInfo.domain`: the service or product the reasons belong to. Default `errata`. */
  readonly domain?: string
  /** The `google.rpc.Code` name of each error. Default `statusName`. */
  readonly status?: (metadata: CatalogError.Metadata) => string
}

const isObject = Predicate.isRecord

const typeOf = (detail: unknown): unknown => isObject(detail) ? detail["@type"] : undefined

/** A protobuf `Duration` as JSON: seconds with an `s` suffix, fractions allowed. */
const durationSeconds = (u: unknown): number | undefined => {
  const match = typeof u === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(u) : null
  return match === null ? undefined : Number(match[1])
}

const asString = (value: unknown): string => typeof value === "string" ? value : JSON.stringify(value)

const string = { type: "string" } as const

const detailSchema = (type: string, properties: Record<string, WireFormat.JsonSchema>, required: Array<string>) => ({
  type: "object",
  required: ["@type", ...required],
  properties: { "@type": { const: type }, ...properties }
})

/**
 * The envelope, for a format with another `domain` or over another catalog: `WireFormat.make(GoogleRpc.envelope({
 * domain: "billing.example.com" }), { catalog })`.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const envelope = (
  options: Options = {}
): WireFormat.Envelope<typeof ValidationFailed, typeof InvalidJson> => {
  const domain = options.domain ?? "errata"
  const status = options.status ?? statusName
  return {
    name: "google-rpc",
    source: "Google AIP-193",
    contentType: "application/json",
    carries: { fieldErrorCodes: true, fieldErrorList: true, requestIdInBody: true, retryAfterInBody: true },
    // The error's own fields travel in ErrorInfo.metadata, a map of their own.
    reservedMembers: [],
    // google.rpc.Code has no 422: a request with invalid fields is INVALID_ARGUMENT, 400.
    validationError: ValidationFailed,
    malformedBody: InvalidJson,
    recognizes: (json) => isObject(json) && isObject(json.error) && typeof json.error.code === "number",
    write: (error) => {
      const details: Array<Record<string, unknown>> = [{
        "@type": detailTypes.errorInfo,
        reason: error.metadata.code.toUpperCase(),
        domain,
        metadata: Object.fromEntries(Object.entries(error.own).map(([key, value]) => [key, asString(value)]))
      }]
      if (error.fieldErrors !== undefined) {
        details.push({
          "@type": detailTypes.badRequest,
          fieldViolations: error.fieldErrors.map(({ code, field, message }) =>
            code === undefined
              ? { field, description: message }
              : { field, description: message, reason: code.toUpperCase() }
          )
        })
      }
      if (error.retryAfter !== undefined) details.push({ "@type": detailTypes.retryInfo, retryDelay: `${error.retryAfter}s` })
      if (error.requestId !== undefined) details.push({ "@type": detailTypes.requestInfo, requestId: error.requestId })
      details.push({
        "@type": detailTypes.help,
        links: [{ description: error.metadata.title, url: error.documentation }]
      })
      if (error.debug !== undefined) details.push({ "@type": detailTypes.debugInfo, detail: asString(error.debug) })
      return {
        error: { code: error.metadata.status, message: error.message, status: status(error.metadata), details }
      }
    },
    read: (json) => {
      if (!isObject(json) || !isObject(json.error) || typeof json.error.code !== "number") return undefined
      const body = json.error
      const details = Array.isArray(body.details) ? body.details : []
      const detail = (type: string) => details.find((item): item is Record<string, unknown> => typeOf(item) === type)
      const errorInfo = detail(detailTypes.errorInfo)
      const badRequest = detail(detailTypes.badRequest)
      const reason = typeof errorInfo?.reason === "string" ? errorInfo.reason : undefined
      const code = reason ?? (typeof body.status === "string" ? body.status : undefined)
      if (code === undefined) return undefined
      const violations = badRequest !== undefined && Array.isArray(badRequest.fieldViolations)
        ? badRequest.fieldViolations
        : undefined
      return {
        code,
        message: body.message,
        fieldErrors: violations?.map((violation) =>
          isObject(violation)
            ? {
              field: violation.field,
              message: violation.description,
              ...(typeof violation.reason === "string" ? { code: violation.reason.toLowerCase() } : {})
            }
            : violation
        ),
        retryAfter: durationSeconds(detail(detailTypes.retryInfo)?.retryDelay),
        requestId: detail(detailTypes.requestInfo)?.requestId,
        own: isObject(errorInfo?.metadata) ? errorInfo.metadata : {},
        foreign: reason === undefined || errorInfo?.domain !== domain
      }
    },
    jsonSchema: ({ documentation, metadata, own }) => ({
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message", "status", "details"],
          properties: {
            code: { const: metadata.status },
            message: string,
            status: { const: status(metadata) },
            details: {
              type: "array",
              description: "ErrorInfo first, then BadRequest, RetryInfo, RequestInfo, Help and DebugInfo where they apply",
              items: {
                oneOf: [
                  detailSchema(detailTypes.errorInfo, {
                    reason: { const: metadata.code.toUpperCase() },
                    domain: string,
                    metadata: {
                      type: "object",
                      description: "The error's own fields, as strings",
                      required: own.required,
                      properties: Object.fromEntries(Object.keys(own.properties).map((key) => [key, string])),
                      additionalProperties: string
                    }
                  }, ["reason", "domain", "metadata"]),
                  detailSchema(detailTypes.badRequest, {
                    fieldViolations: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["field", "description"],
                        properties: { field: string, description: string, reason: string }
                      }
                    }
                  }, ["fieldViolations"]),
                  detailSchema(detailTypes.retryInfo, { retryDelay: { type: "string", pattern: "^\\d+(\\.\\d+)?s$" } }, [
                    "retryDelay"
                  ]),
                  detailSchema(detailTypes.requestInfo, { requestId: string }, ["requestId"]),
                  detailSchema(detailTypes.help, {
                    links: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["description", "url"],
                        properties: { description: string, url: { const: documentation } }
                      }
                    }
                  }, ["links"]),
                  detailSchema(detailTypes.debugInfo, { detail: string }, ["detail"])
                ]
              }
            }
          }
        }
      }
    })
  }
}

/**
 * Google's error model over the built-in catalog, with the `errata` domain.
 *
 * @since 0.1.0
 * @category formats
 */
export const format = WireFormat.make(envelope())
