/**
 * A `WireFormat` carries catalog errors over HTTP in one envelope shape. `encode` turns an error into the status,
 * headers and body to send; `decode` turns any response back into an instance of the same catalog class, or into an
 * `UnknownApiError` for anything it cannot map. `decode` is total: it never throws, whatever the status, headers and
 * body (empty, not JSON, not UTF-8, or JSON of any shape).
 *
 * | format            | seed     | envelope                                                                             |
 * | ----------------- | -------- | ------------------------------------------------------------------------------------ |
 * | `oauth-style`     | 000, 001 | `{ error, error_description, validation_errors?: [{ field, message }], retry_after? }` |
 * | `code-message`    | 002      | `{ code: "UPPER_SNAKE", message, details?: { <field>: { code, message } }, request_id? }` |
 * | `nested-error`    | 003      | `{ error: { code, message, details?: [{ field, message }] } }`                       |
 * | `oauth-details`   | 004      | `{ error, error_description, details?: { <field>: message }, retry_after?, request_id?, debug? }` |
 * | `problem-details` | RFC 9457 | `application/problem+json`: `type`, `title`, `status`, `detail`, `instance?`, `code`, `errors`, `retry_after`, `request_id` |
 *
 * Every format sends the request id as `X-Request-ID` and `retryAfter` as `Retry-After` (delta-seconds), so both
 * survive even where the body has no slot for them. An error's own fields travel as members beside the code (inside
 * `error` for `nested-error`), under their encoded names. What a format cannot carry is stated in its `carries`.
 *
 * @since 0.1.0
 */
import { Either, JSONSchema, Schema } from "effect"
import * as Catalog from "./Catalog.js"
import type { AnyCatalogError, AnyCatalogErrorClass, ErrorMetadata } from "./CatalogError.js"
import { encodedKeys, RequestId } from "./CatalogError.js"
import { bodyExcerptLength, UnknownApiError } from "./UnknownApiError.js"

/**
 * @since 0.1.0
 */
export type Name = "oauth-style" | "code-message" | "nested-error" | "oauth-details" | "problem-details"

/**
 * @since 0.1.0
 */
export const names: ReadonlyArray<Name> = [
  "oauth-style",
  "code-message",
  "nested-error",
  "oauth-details",
  "problem-details"
]

/**
 * A response as a format writes it. Header names are lower case.
 *
 * @since 0.1.0
 */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * A response as a decoder accepts it: header names in any case, values possibly repeated, body as text or bytes.
 *
 * @since 0.1.0
 */
export interface WireInput {
  readonly status: number
  readonly headers?: Readonly<Record<string, string | ReadonlyArray<string> | undefined>> | undefined
  readonly body?: string | Uint8Array | null | undefined
}

/**
 * What a format's body can carry. Everything not listed is carried by every format.
 *
 * @since 0.1.0
 */
export interface Carries {
  /** Field-level errors keep their `code`. */
  readonly fieldErrorCodes: boolean
  /**
   * Field-level errors are a list: several errors on one field and their order survive. Formats that key them by
   * field keep the last error of each field, and JSON objects do not keep the order of integer-like keys.
   */
  readonly fieldErrorList: boolean
  /** The body has a slot for the request id (the `X-Request-ID` header carries it in every format). */
  readonly requestIdInBody: boolean
  /** The body has a slot for the retry delay (the `Retry-After` header carries it in every format). */
  readonly retryAfterInBody: boolean
}

/**
 * @since 0.1.0
 */
export interface EncodeOptions {
  /** Debug information (seed 004's `debug` member), only ever passed by a server in debug mode. */
  readonly debug?: unknown
  /** RFC 9457 `instance`: a URI reference for this occurrence. Ignored by the other formats. */
  readonly instance?: string
  /** The request id to send when the error carries none. */
  readonly requestId?: string
  /** The retry delay (seconds) to send when the error carries none. */
  readonly retryAfter?: number
}

/**
 * @since 0.1.0
 */
export interface DecodeOptions {
  /** The current time in milliseconds, for `Retry-After` given as an HTTP-date. Defaults to `Date.now()`. */
  readonly now?: number
}

/**
 * @since 0.1.0
 */
export interface WireFormat<E extends AnyCatalogError = AnyCatalogError> {
  readonly name: Name
  /** The seed document(s) the shape comes from. */
  readonly source: string
  readonly contentType: string
  readonly carries: Carries
  readonly catalog: Catalog.Catalog<E>
  readonly encode: (error: AnyCatalogError, options?: EncodeOptions) => WireResponse
  readonly decode: (response: WireInput, options?: DecodeOptions) => E | UnknownApiError
  /** The JSON Schema of the body this format sends for an error class (for OpenAPI documents). */
  readonly jsonSchema: (cls: AnyCatalogErrorClass) => JsonSchema
}

/**
 * A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) as a plain object.
 *
 * @since 0.1.0
 */
export type JsonSchema = { readonly [key: string]: unknown }

/**
 * @since 0.1.0
 */
export interface Options<E extends AnyCatalogError> {
  /** The errors `decode` maps codes to. Defaults to `Catalog.builtin`. */
  readonly catalog?: Catalog.Catalog<E>
  /** Base of the RFC 9457 `type` URI: `type` is the base followed by the code. Defaults to `/errors/`. */
  readonly problemTypeBase?: string
}

// -----------------------------------------------------------------------------
// Shapes
// -----------------------------------------------------------------------------

interface EncodedFieldError {
  readonly field: string
  readonly message: string
  readonly code?: string | undefined
}

/** What the common engine hands a shape to write. */
interface Written {
  readonly metadata: ErrorMetadata
  readonly message: string
  readonly fieldErrors: ReadonlyArray<EncodedFieldError> | undefined
  readonly retryAfter: number | undefined
  readonly requestId: string | undefined
  readonly own: Readonly<Record<string, unknown>>
  readonly options: EncodeOptions | undefined
}

/** What a shape reads from a body: loose values, checked by the engine. */
interface Read {
  readonly code: string
  readonly message: unknown
  readonly fieldErrors: ReadonlyArray<EncodedFieldError> | undefined
  readonly retryAfter: unknown
  readonly requestId: unknown
  /** The object holding the error's own fields. */
  readonly container: Readonly<Record<string, unknown>>
}

/** The JSON Schema of an error's own members. */
interface OwnSchema {
  readonly properties: Readonly<Record<string, JsonSchema>>
  readonly required: ReadonlyArray<string>
}

interface Shape {
  readonly name: Name
  readonly source: string
  readonly contentType: string
  readonly carries: Carries
  readonly write: (error: Written) => Record<string, unknown>
  readonly read: (json: unknown) => Read | undefined
  readonly jsonSchema: (metadata: ErrorMetadata, own: OwnSchema) => JsonSchema
}

const string: JsonSchema = { type: "string" }
const seconds: JsonSchema = { type: "integer", minimum: 0, description: "Seconds to wait before retrying" }
const requestIdSchema: JsonSchema = { type: "string", description: "The request id, as in X-Request-ID" }
const debugSchema: JsonSchema = {
  type: "object",
  description: "Only in debug mode: stack trace, request body (secrets redacted) and timestamp"
}

const object = (properties: Record<string, JsonSchema>, required: ReadonlyArray<string>, own: OwnSchema) => ({
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

type JsonObject = Readonly<Record<string, unknown>>

const isObject = (u: unknown): u is JsonObject => typeof u === "object" && u !== null && !Array.isArray(u)

const optionalString = (u: unknown): string | undefined => typeof u === "string" ? u : undefined

/** Adds the members that are set, in order; `undefined` members are left out. */
const members = (target: Record<string, unknown>, entries: Record<string, unknown>): Record<string, unknown> => {
  for (const key in entries) {
    if (entries[key] !== undefined) target[key] = entries[key]
  }
  return target
}

const withOwnAndDebug = (body: Record<string, unknown>, error: Written): Record<string, unknown> => {
  Object.assign(body, error.own)
  if (error.options?.debug !== undefined) body.debug = error.options.debug
  return body
}

const fieldErrorList = (u: unknown): ReadonlyArray<EncodedFieldError> | undefined => {
  if (!Array.isArray(u)) return undefined
  const out: Array<EncodedFieldError> = []
  for (const item of u) {
    if (isObject(item) && typeof item.field === "string" && typeof item.message === "string") {
      out.push(typeof item.code === "string" ? { field: item.field, message: item.message, code: item.code } : {
        field: item.field,
        message: item.message
      })
    }
  }
  return out
}

/**
 * Field errors keyed by field. A container holding members of which none is a field error is someone else's
 * `details` (seed 002 and 004 use the member for any additional information), not an empty list.
 */
const fieldErrorsFromKeyed = (
  u: unknown,
  entry: (field: string, value: unknown) => EncodedFieldError | undefined
): ReadonlyArray<EncodedFieldError> | undefined => {
  if (!isObject(u)) return undefined
  const keys = Object.keys(u)
  const out: Array<EncodedFieldError> = []
  for (const field of keys) {
    const fieldError = entry(field, u[field])
    if (fieldError !== undefined) out.push(fieldError)
  }
  return out.length === 0 && keys.length > 0 ? undefined : out
}

/** `Object.fromEntries` defines own properties, so a field named `__proto__` stays a field. */
const keyedBy = <A>(errors: ReadonlyArray<EncodedFieldError>, value: (error: EncodedFieldError) => A) =>
  Object.fromEntries(errors.map((error) => [error.field, value(error)]))

const withoutCode = (errors: ReadonlyArray<EncodedFieldError>) =>
  errors.map(({ field, message }) => ({ field, message }))

const oauthStyle: Shape = {
  name: "oauth-style",
  source: "seeds 000, 001",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: true, requestIdInBody: false, retryAfterInBody: true },
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
        fieldErrors: fieldErrorList(json.validation_errors),
        retryAfter: json.retry_after,
        requestId: undefined,
        container: json
      }
      : undefined,
  jsonSchema: (metadata, own) =>
    object({
      error: { const: metadata.code },
      error_description: string,
      validation_errors: fieldErrorItems(false),
      retry_after: seconds,
      debug: debugSchema
    }, ["error", "error_description"], own)
}

const codeMessage: Shape = {
  name: "code-message",
  source: "seed 002",
  contentType: "application/json",
  carries: { fieldErrorCodes: true, fieldErrorList: false, requestIdInBody: true, retryAfterInBody: false },
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        code: error.metadata.code.toUpperCase(),
        message: error.message,
        details: error.fieldErrors && keyedBy(error.fieldErrors, ({ code, message }) =>
          code === undefined ? { message } : { code, message }),
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
        container: json
      }
      : undefined,
  jsonSchema: (metadata, own) =>
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

const nestedError: Shape = {
  name: "nested-error",
  source: "seed 003",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: true, requestIdInBody: false, retryAfterInBody: false },
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
        fieldErrors: fieldErrorList(json.error.details),
        retryAfter: undefined,
        requestId: undefined,
        container: json.error
      }
      : undefined,
  jsonSchema: (metadata, own) => ({
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

const oauthDetails: Shape = {
  name: "oauth-details",
  source: "seed 004",
  contentType: "application/json",
  carries: { fieldErrorCodes: false, fieldErrorList: false, requestIdInBody: true, retryAfterInBody: true },
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
        container: json
      }
      : undefined,
  jsonSchema: (metadata, own) =>
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

const problemDetails = (typeBase: string): Shape => ({
  name: "problem-details",
  source: "RFC 9457",
  contentType: "application/problem+json",
  carries: { fieldErrorCodes: true, fieldErrorList: true, requestIdInBody: true, retryAfterInBody: true },
  write: (error) =>
    withOwnAndDebug(
      members({}, {
        type: typeBase + error.metadata.code,
        title: error.metadata.title,
        status: error.metadata.status,
        detail: error.message,
        instance: error.options?.instance,
        code: error.metadata.code,
        errors: error.fieldErrors,
        retry_after: error.retryAfter,
        request_id: error.requestId
      }),
      error
    ),
  read: (json) => {
    if (!isObject(json)) return undefined
    const type = optionalString(json.type)
    const code = optionalString(json.code) ??
      (type !== undefined && type.startsWith(typeBase) ? type.slice(typeBase.length) : undefined)
    return code === undefined ? undefined : {
      code,
      message: json.detail ?? json.title,
      fieldErrors: fieldErrorList(json.errors),
      retryAfter: json.retry_after,
      requestId: json.request_id,
      container: json
    }
  },
  jsonSchema: (metadata, own) =>
    object({
      type: { const: typeBase + metadata.code },
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
})

// -----------------------------------------------------------------------------
// Engine
// -----------------------------------------------------------------------------

interface ClassCodec {
  readonly ownKeys: ReadonlyArray<string>
  readonly ownSchema: OwnSchema
  readonly encodeOwn: (error: AnyCatalogError) => Readonly<Record<string, unknown>>
  readonly decodeOwn: (encoded: unknown) => Either.Either<Readonly<Record<string, unknown>>, unknown>
}

const noOwnFields: Readonly<Record<string, unknown>> = Object.freeze({})

const classCodecs = new WeakMap<AnyCatalogErrorClass, ClassCodec>()

const classCodec = (cls: AnyCatalogErrorClass): ClassCodec => {
  let codec = classCodecs.get(cls)
  if (codec === undefined) {
    const ownKeys = encodedKeys(cls.ownFields)
    const own = Schema.Struct(cls.ownFields) as unknown as Schema.Schema<any, any, never>
    const encodeOwn = Schema.encodeEither(own)
    const ownJsonSchema = JSONSchema.make(own) as { properties?: Record<string, JsonSchema>; required?: Array<string> }
    codec = {
      ownKeys,
      ownSchema: { properties: ownJsonSchema.properties ?? {}, required: ownJsonSchema.required ?? [] },
      encodeOwn: ownKeys.length === 0
        ? () => noOwnFields
        : (error) => Either.getOrElse(encodeOwn(error), () => noOwnFields),
      decodeOwn: Schema.decodeUnknownEither(own)
    }
    classCodecs.set(cls, codec)
  }
  return codec
}

const header = (headers: WireInput["headers"], name: string): string | undefined => {
  if (headers === undefined) return undefined
  let value = headers[name]
  if (value === undefined) {
    for (const key in headers) {
      if (key.toLowerCase() === name) {
        value = headers[key]
        break
      }
    }
  }
  return typeof value === "string" ? value : Array.isArray(value) ? optionalString(value[0]) : undefined
}

const isRequestId = Schema.is(RequestId)
const maxRetryAfter = 2_147_483_647
const deltaSeconds = /^\s*(\d+)\s*$/
/** IMF-fixdate and the obsolete forms all start with a day name. */
const httpDate = /^\s*[A-Za-z]{3}/

/** A body's `retry_after`: a non-negative number of seconds, rounded up. */
const retryAfterFromBody = (u: unknown): number | undefined => {
  const seconds = typeof u === "number" ? u : typeof u === "string" && deltaSeconds.test(u) ? Number(u) : NaN
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(Math.ceil(seconds), maxRetryAfter) : undefined
}

/** A `Retry-After` header: delta-seconds, or an HTTP-date (a past date means "now": 0). Garbage is ignored. */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const delta = deltaSeconds.exec(value)
  if (delta !== null) return Math.min(Number(delta[1]), maxRetryAfter)
  if (!httpDate.test(value)) return undefined
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, Math.ceil((at - now) / 1000)), maxRetryAfter)
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const bodyText = (body: WireInput["body"]): string | undefined => {
  if (body === undefined || body === null) return ""
  if (typeof body === "string") return body
  try {
    return utf8.decode(body)
  } catch {
    return undefined
  }
}

const fromShape = <E extends AnyCatalogError>(shape: Shape, catalog: Catalog.Catalog<E>): WireFormat<E> => {
  const encode = (error: AnyCatalogError, options?: EncodeOptions): WireResponse => {
    const cls = error.constructor as AnyCatalogErrorClass
    const metadata = cls.metadata
    const requestId = error.requestId ?? options?.requestId
    const retryAfter = error.retryAfter ?? options?.retryAfter
    const body = shape.write({
      metadata,
      message: error.message,
      fieldErrors: error.fieldErrors,
      retryAfter,
      requestId,
      own: classCodec(cls).encodeOwn(error),
      options
    })
    const headers: Record<string, string> = { "content-type": shape.contentType }
    if (requestId !== undefined) headers["x-request-id"] = requestId
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter)
    return { status: metadata.status, headers, body: JSON.stringify(body) }
  }

  const decodeUnsafe = (input: WireInput, options: DecodeOptions | undefined): E | UnknownApiError => {
    const status = input.status
    const headerRequestId = header(input.headers, "x-request-id")
    const headerRetryAfter = header(input.headers, "retry-after")
    const unknown = (message: string, extra: {
      readonly code?: string | undefined
      readonly body?: string | undefined
      readonly retryAfter?: number | undefined
      readonly requestId?: unknown
    } = {}) => {
      const requestId = isRequestId(headerRequestId) ? headerRequestId : extra.requestId
      const retryAfter = extra.retryAfter ?? parseRetryAfter(headerRetryAfter, options?.now ?? Date.now())
      return new UnknownApiError(
        members({ status: Number.isInteger(status) ? status : 0, message }, {
          code: extra.code,
          body: extra.body?.slice(0, bodyExcerptLength),
          retryAfter,
          requestId: isRequestId(requestId) ? requestId : undefined
        }) as ConstructorParameters<typeof UnknownApiError>[0],
        true
      )
    }

    const text = bodyText(input.body)
    if (text === undefined) return unknown(`The ${status} response's body is not valid UTF-8`)
    if (text.trim() === "") return unknown(`The ${status} response has an empty body`)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return unknown(`The ${status} response's body is not JSON`, { body: text })
    }
    const read = shape.read(json)
    if (read === undefined) return unknown(`The ${status} response's body is not in the ${shape.name} format`, { body: text })

    const message = optionalString(read.message)
    const retryAfter = retryAfterFromBody(read.retryAfter) ??
      parseRetryAfter(headerRetryAfter, options?.now ?? Date.now())
    const requestId = isRequestId(headerRequestId) ? headerRequestId : isRequestId(read.requestId) ? read.requestId : undefined
    const cls = catalog.byCode(read.code)
    if (cls === undefined || cls.metadata.status !== status) {
      const reason = cls === undefined ? "is not in the catalog" : `is documented with status ${cls.metadata.status}`
      return unknown(message ?? `The code ${read.code} ${reason}`, { code: read.code, body: text, retryAfter, requestId })
    }
    // The common fields are checked above (a string message, well-formed field errors, a bounded whole number of
    // seconds, a well-formed request id): only the error's own fields still need their schema.
    const common = members({ message: message ?? cls.metadata.description }, {
      fieldErrors: read.fieldErrors,
      retryAfter,
      requestId
    })
    const codec = classCodec(cls)
    if (codec.ownKeys.length === 0) return new cls(common, true) as E
    const ownEncoded: Record<string, unknown> = {}
    for (const key of codec.ownKeys) {
      if (Object.hasOwn(read.container, key)) ownEncoded[key] = read.container[key]
    }
    const own = codec.decodeOwn(ownEncoded)
    return Either.isRight(own)
      ? new cls({ ...common, ...own.right }, true) as E
      : unknown(`The ${read.code} error's fields do not match its schema`, { code: read.code, body: text, retryAfter, requestId })
  }

  return {
    name: shape.name,
    source: shape.source,
    contentType: shape.contentType,
    carries: shape.carries,
    catalog,
    encode,
    jsonSchema: (cls) => shape.jsonSchema(cls.metadata, classCodec(cls).ownSchema),
    decode: (input, options) => {
      try {
        return decodeUnsafe(input, options)
      } catch {
        return new UnknownApiError({ status: 0, message: "The response could not be decoded" }, true)
      }
    }
  }
}

/**
 * A wire format by name, decoding into the given catalog (by default the 51 seed errors).
 *
 * @since 0.1.0
 */
export const make = <E extends AnyCatalogError = Catalog.BuiltinError>(name: Name, options: Options<E> = {}): WireFormat<E> => {
  const catalog = (options.catalog ?? Catalog.builtin) as Catalog.Catalog<E>
  switch (name) {
    case "oauth-style":
      return fromShape(oauthStyle, catalog)
    case "code-message":
      return fromShape(codeMessage, catalog)
    case "nested-error":
      return fromShape(nestedError, catalog)
    case "oauth-details":
      return fromShape(oauthDetails, catalog)
    case "problem-details":
      return fromShape(problemDetails(options.problemTypeBase ?? "/errors/"), catalog)
  }
}

/**
 * Seeds 000/001: `{ error, error_description, validation_errors?, retry_after? }`.
 *
 * @since 0.1.0
 */
export const OAuthStyle: WireFormat<Catalog.BuiltinError> = make("oauth-style")

/**
 * Seed 002: `{ code: "UPPER_SNAKE", message, details?, request_id? }`.
 *
 * @since 0.1.0
 */
export const CodeMessage: WireFormat<Catalog.BuiltinError> = make("code-message")

/**
 * Seed 003: `{ error: { code, message, details? } }`.
 *
 * @since 0.1.0
 */
export const NestedError: WireFormat<Catalog.BuiltinError> = make("nested-error")

/**
 * Seed 004: `{ error, error_description, details?, retry_after?, request_id?, debug? }`.
 *
 * @since 0.1.0
 */
export const OAuthDetails: WireFormat<Catalog.BuiltinError> = make("oauth-details")

/**
 * RFC 9457 problem details, `application/problem+json`.
 *
 * @since 0.1.0
 */
export const ProblemDetails: WireFormat<Catalog.BuiltinError> = make("problem-details")

/**
 * The five formats over the built-in catalog.
 *
 * @since 0.1.0
 */
export const all: ReadonlyArray<WireFormat<Catalog.BuiltinError>> = [
  OAuthStyle,
  CodeMessage,
  NestedError,
  OAuthDetails,
  ProblemDetails
]

/**
 * A decoder that recognises the format of each response by its shape (and `application/problem+json`), for clients
 * of servers whose format is not known in advance or changes (a proxy's own error pages, a gateway in front).
 *
 * @since 0.1.0
 */
export interface Detecting<E extends AnyCatalogError = AnyCatalogError> {
  readonly name: "auto"
  readonly catalog: Catalog.Catalog<E>
  readonly decode: (response: WireInput, options?: DecodeOptions) => E | UnknownApiError
}

/**
 * @since 0.1.0
 */
export const detect = <E extends AnyCatalogError = Catalog.BuiltinError>(options: Options<E> = {}): Detecting<E> => {
  const formats = Object.fromEntries(names.map((name) => [name, make(name, options)])) as Record<Name, WireFormat<E>>
  const shapeOf = (input: WireInput): Name => {
    if (header(input.headers, "content-type")?.toLowerCase().includes("application/problem+json")) {
      return "problem-details"
    }
    const text = bodyText(input.body)
    let json: unknown
    try {
      json = text === undefined ? undefined : JSON.parse(text)
    } catch {
      return "oauth-details"
    }
    if (!isObject(json)) return "oauth-details"
    if (isObject(json.error)) return "nested-error"
    if (typeof json.error === "string") return "validation_errors" in json ? "oauth-style" : "oauth-details"
    if (typeof json.type === "string" || (typeof json.status === "number" && "title" in json)) return "problem-details"
    return typeof json.code === "string" ? "code-message" : "oauth-details"
  }
  return {
    name: "auto",
    catalog: formats["oauth-details"].catalog,
    decode: (input, decodeOptions) => formats[shapeOf(input)].decode(input, decodeOptions)
  }
}
