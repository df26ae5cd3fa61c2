/**
 * A `WireFormat` carries catalog errors over HTTP in one envelope shape. `encode` turns an error into the status,
 * headers and body to send; `decode` turns any response back into an instance of the same catalog class, or into an
 * `UnknownApiError` for anything it cannot map. `decode` is total: it never throws, whatever the status, headers and
 * body (empty, not JSON, not UTF-8, or JSON of any shape).
 *
 * Everything that differs between formats is in its `Envelope`, a plain value anyone can write: how an error is
 * written and read, the content type, the member names the envelope reserves, how a response in this dialect is
 * recognised, which catalog classes it uses for a request that fails validation and for a malformed body, what it
 * carries, and the JSON Schema of its bodies. `make(envelope, { catalog })` turns an envelope into a format; the five
 * formats below are built that way, and so is `GoogleRpc`.
 *
 * | format            | from     | envelope                                                                             |
 * | ----------------- | -------- | ------------------------------------------------------------------------------------ |
 * | `oauth-style`     | 000, 001 | `{ error, error_description, validation_errors?: [{ field, message }], retry_after? }` |
 * | `code-message`    | 002      | `{ code: "UPPER_SNAKE", message, details?: { <field>: { code, message } }, request_id? }` |
 * | `nested-error`    | 003      | `{ error: { code, message, details?: [{ field, message }] } }`                       |
 * | `oauth-details`   | 004      | `{ error, error_description, details?: { <field>: message }, retry_after?, request_id?, debug? }` |
 * | `problem-details` | RFC 9457 | `application/problem+json`: `type`, `title`, `status`, `detail`, `instance?`, `code`, `errors`, `retry_after`, `request_id` |
 *
 * Every format sends the request id as `X-Request-ID` and the retry delay as `Retry-After` (delta-seconds), so both
 * survive even where the body has no slot for them.
 *
 * @since 0.1.0
 */
import type * as Catalog from "./Catalog.js"
import { builtin } from "./Catalog.js"
import type * as CatalogError from "./CatalogError.js"
import * as codec from "./internal/codec.js"
import * as envelopes from "./internal/envelopes.js"
import type { UnknownApiError } from "./UnknownApiError.js"

/**
 * A response as a format writes it. Header names are lower case.
 *
 * @since 0.1.0
 * @category models
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
 * @category models
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
 * @category models
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
 * @category models
 */
export interface EncodeOptions {
  /** Debug information (seed 004's `debug` member), only ever passed by a server in debug mode. */
  readonly debug?: unknown
  /** A URI reference for this occurrence (RFC 9457 `instance`); envelopes without a slot for it ignore it. */
  readonly instance?: string
  /** The request id to send when the error carries none. */
  readonly requestId?: string
  /** The retry delay (seconds) to send when the error carries none. */
  readonly retryAfter?: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /** The current time in milliseconds, for `Retry-After` given as an HTTP-date. Defaults to `Date.now()`. */
  readonly now?: number
}

/**
 * A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) as a plain object.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonSchema = { readonly [key: string]: unknown }

/**
 * The JSON Schema of an error's own members.
 *
 * @since 0.1.0
 * @category models
 */
export interface OwnSchema {
  readonly properties: Readonly<Record<string, JsonSchema>>
  readonly required: ReadonlyArray<string>
}

/**
 * What the engine hands an envelope to write: the error's parts, each already in its wire form.
 *
 * @since 0.1.0
 * @category envelopes
 */
export interface Outgoing {
  readonly metadata: CatalogError.Metadata
  readonly message: string
  readonly fieldErrors: ReadonlyArray<CatalogError.FieldError> | undefined
  readonly retryAfter: number | undefined
  readonly requestId: string | undefined
  /** The error's own fields, encoded, by member name. */
  readonly own: Readonly<Record<string, unknown>>
  readonly debug: unknown
  readonly instance: string | undefined
  /** Where the error's documentation is: the format's documentation base followed by the code. */
  readonly documentation: string
}

/**
 * What an envelope reads from a body: the code to look up, and loose values the engine checks.
 *
 * @since 0.1.0
 * @category envelopes
 */
export interface Incoming {
  /** The wire code, in any case: the catalog looks it up after case folding. */
  readonly code: string
  readonly message: unknown
  /** Field errors as the body has them; entries that are not `{ field, message, code? }` are dropped. */
  readonly fieldErrors: ReadonlyArray<unknown> | undefined
  /** Seconds, as a number or a string of digits. */
  readonly retryAfter: unknown
  readonly requestId: unknown
  /** The members that hold the error's own fields (strings are read as JSON where a field wants another type). */
  readonly own: Readonly<Record<string, unknown>>
  /**
   * The code belongs to another vocabulary than the catalog's (another service's reason, a bare protocol status):
   * it is reported in the `UnknownApiError`, not looked up.
   */
  readonly foreign?: boolean
}

/**
 * What an envelope is told when it reads a body.
 *
 * @since 0.1.0
 * @category envelopes
 */
export interface ReadContext {
  /** The base of each error's documentation URI: the base followed by the code. */
  readonly documentationBase: string
}

/**
 * An error class, as an envelope describes its body.
 *
 * @since 0.1.0
 * @category envelopes
 */
export interface Described {
  readonly metadata: CatalogError.Metadata
  readonly own: OwnSchema
  readonly documentation: string
}

/**
 * Everything that makes a wire format what it is.
 *
 * @since 0.1.0
 * @category envelopes
 */
export interface Envelope<
  Validation extends CatalogError.AnyClass = CatalogError.AnyClass,
  Malformed extends CatalogError.AnyClass = CatalogError.AnyClass
> {
  /** The name operators select it by (`ERRATA_WIRE_FORMAT`), lower kebab case. */
  readonly name: string
  /** Where the shape comes from: a seed document, an RFC, a company's style guide. */
  readonly source: string
  readonly contentType: string
  readonly carries: Carries
  /**
   * Member names at the level where an error's own fields go, those it writes and those its `recognizes` looks at:
   * no error of a catalog the format carries may have an own field of these names.
   */
  readonly reservedMembers: ReadonlyArray<string>
  /** The class of a request whose fields are invalid. */
  readonly validationError: Validation
  /** The class of a request body that is not well-formed JSON. */
  readonly malformedBody: Malformed
  /** Whether a JSON body (with the response's content type) is in this dialect, for `detect`. */
  readonly recognizes: (body: unknown, contentType: string | undefined) => boolean
  /** The body of an error, as a JSON value. */
  readonly write: (error: Outgoing) => unknown
  /** The parts of a body in this dialect, or `undefined` when it is not. Must not throw. */
  readonly read: (body: unknown, context: ReadContext) => Incoming | undefined
  /** The JSON Schema of the body `write` gives for an error class. */
  readonly jsonSchema: (error: Described) => JsonSchema
}

/**
 * @since 0.1.0
 * @category models
 */
export interface WireFormat<
  E extends CatalogError.CatalogError = CatalogError.CatalogError,
  Validation extends CatalogError.AnyClass = CatalogError.AnyClass,
  Malformed extends CatalogError.AnyClass = CatalogError.AnyClass
> {
  readonly name: string
  readonly source: string
  readonly contentType: string
  readonly carries: Carries
  readonly envelope: Envelope<Validation, Malformed>
  readonly catalog: Catalog.Catalog<E>
  readonly documentationBase: string
  readonly encode: (error: CatalogError.CatalogError, options?: EncodeOptions) => WireResponse
  readonly decode: (response: WireInput, options?: DecodeOptions) => E | UnknownApiError
  /** The JSON Schema of the body this format sends for an error class (for OpenAPI documents). */
  readonly jsonSchema: (cls: CatalogError.AnyClass) => JsonSchema
}

/**
 * Any wire format, whatever its catalog and the classes its envelope answers with.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = WireFormat<any, any, any>

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<E extends CatalogError.CatalogError> {
  /** The errors `decode` maps codes to. Defaults to `Catalog.builtin`. */
  readonly catalog?: Catalog.Catalog<E>
  /** The base of each error's documentation URI (RFC 9457 `type`, Google's `Help` link). Defaults to `/errors/`. */
  readonly documentationBase?: string
}

/**
 * The classes of a catalog whose own fields the envelope could not carry: a field named like one of its members.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const clashes = (
  envelope: Envelope<any, any>,
  classes: ReadonlyArray<CatalogError.AnyClass>
): ReadonlyArray<{ readonly tag: string; readonly field: string }> => {
  const reserved = new Set(envelope.reservedMembers)
  const found: Array<{ tag: string; field: string }> = []
  for (const cls of classes) {
    for (const field of codec.classCodec(cls).ownKeys) {
      if (reserved.has(field)) found.push({ tag: cls.metadata.tag, field })
    }
  }
  return found
}

/**
 * A wire format from an envelope, decoding into the given catalog (by default `Catalog.builtin`). A class of the
 * catalog with an own field named like one of the envelope's members is a definition mistake, reported at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  Validation extends CatalogError.AnyClass,
  Malformed extends CatalogError.AnyClass,
  E extends CatalogError.CatalogError = Catalog.BuiltinError
>(
  envelope: Envelope<Validation, Malformed>,
  options: Options<E> = {}
): WireFormat<E, Validation, Malformed> => {
  const catalog = (options.catalog ?? builtin) as Catalog.Catalog<E>
  const documentationBase = options.documentationBase ?? "/errors/"
  const clash = clashes(envelope, catalog.errors)[0]
  if (clash !== undefined) {
    throw new Error(`WireFormat ${envelope.name}: ${clash.tag}'s field "${clash.field}" is a member of the envelope`)
  }

  const encode = (error: CatalogError.CatalogError, options?: EncodeOptions): WireResponse => {
    const cls = error.constructor as CatalogError.AnyClass
    const metadata = cls.metadata
    const requestId = error.requestId ?? options?.requestId
    const retryAfter = error.retryAfter ?? options?.retryAfter
    const body = envelope.write({
      metadata,
      message: error.message,
      fieldErrors: error.fieldErrors,
      retryAfter,
      requestId,
      own: codec.classCodec(cls).encodeOwn(error),
      debug: options?.debug,
      instance: options?.instance,
      documentation: documentationBase + metadata.code
    })
    const headers: Record<string, string> = { "content-type": envelope.contentType }
    if (requestId !== undefined) headers["x-request-id"] = requestId
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter)
    return { status: metadata.status, headers, body: JSON.stringify(body) }
  }

  const format: WireFormat<E, Validation, Malformed> = {
    name: envelope.name,
    source: envelope.source,
    contentType: envelope.contentType,
    carries: envelope.carries,
    envelope,
    catalog,
    documentationBase,
    encode,
    decode: (input, options) => decodeIn([format], input, options, `the ${envelope.name} format`),
    jsonSchema: (cls) =>
      envelope.jsonSchema({
        metadata: cls.metadata,
        own: codec.classCodec(cls).ownSchema,
        documentation: documentationBase + cls.metadata.code
      })
  }
  return format
}

/**
 * Decodes a response with the first of `formats` whose envelope reads it (for one format, whether its envelope
 * recognises the body or not). Never throws.
 */
const decodeIn = <E extends CatalogError.CatalogError>(
  formats: ReadonlyArray<WireFormat<E, any, any>>,
  input: WireInput,
  options: DecodeOptions | undefined,
  tried: string
): E | UnknownApiError =>
  codec.total(input, () => {
    const parsed = codec.parse(input.body)
    if (parsed._tag === "Json") {
      const contentType = formats.length === 1 ? undefined : codec.header(input.headers, "content-type")?.toLowerCase()
      for (const format of formats) {
        if (formats.length > 1 && !format.envelope.recognizes(parsed.json, contentType)) continue
        const read = format.envelope.read(parsed.json, { documentationBase: format.documentationBase })
        if (read !== undefined) return codec.fromIncoming(format.catalog, input, options, parsed.text, read)
      }
    }
    return codec.unreadable(input, options, parsed, tried)
  })

/**
 * The same format over another catalog.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCatalog = <F extends Any, E2 extends CatalogError.CatalogError>(
  format: F,
  catalog: Catalog.Catalog<E2>
): WireFormat<E2, F["envelope"]["validationError"], F["envelope"]["malformedBody"]> =>
  make(format.envelope, { catalog, documentationBase: format.documentationBase })

/**
 * A decoder that recognises the format of each response by its envelope's own rule, for clients of servers whose
 * format is not known in advance or changes (a proxy's own error pages, a gateway in front). The first format
 * that recognises a body decodes it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Detecting<E extends CatalogError.CatalogError = CatalogError.CatalogError> {
  readonly formats: ReadonlyArray<WireFormat<E, any, any>>
  readonly decode: (response: WireInput, options?: DecodeOptions) => E | UnknownApiError
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const detect = <E extends CatalogError.CatalogError>(
  formats: ReadonlyArray<WireFormat<E, any, any>>
): Detecting<E> => {
  const tried = `any of the formats ${formats.map((format) => format.name).join(", ")}`
  return { formats, decode: (input, options) => decodeIn(formats, input, options, tried) }
}

/**
 * A `Retry-After` header's value in seconds: delta-seconds, or an HTTP-date (a past date gives 0). Garbage gives
 * `undefined`.
 *
 * @since 0.1.0
 * @category headers
 */
export const parseRetryAfter: (value: string | undefined, now: number) => number | undefined = codec.parseRetryAfter

/**
 * Seeds 000/001: `{ error, error_description, validation_errors?, retry_after? }`; a validation failure is 400
 * `validation_failed`, a malformed body 400 `bad_request`.
 *
 * @since 0.1.0
 * @category formats
 */
export const OAuthStyle = make(envelopes.oauthStyle)

/**
 * Seed 002: `{ code: "UPPER_SNAKE", message, details?, request_id? }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const CodeMessage = make(envelopes.codeMessage)

/**
 * Seed 003: `{ error: { code, message, details? } }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const NestedError = make(envelopes.nestedError)

/**
 * Seed 004: `{ error, error_description, details?, retry_after?, request_id?, debug? }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const OAuthDetails = make(envelopes.oauthDetails)

/**
 * RFC 9457 problem details, `application/problem+json`.
 *
 * @since 0.1.0
 * @category formats
 */
export const ProblemDetails = make(envelopes.problemDetails)
