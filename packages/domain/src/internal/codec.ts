/**
 * The engine every wire format shares: it writes an error through its format's envelope and reads any response back
 * into a catalog class or an `UnknownApiError`, checking what the envelope reads.
 */
import { Either, JSONSchema, ParseResult, Predicate, Schema, SchemaAST } from "effect"
import type * as Catalog from "../Catalog.js"
import type * as CatalogError from "../CatalogError.js"
import { RequestId } from "../CatalogError.js"
import { encodedKeys } from "./fields.js"
import { bodyExcerptLength, UnknownApiError } from "../UnknownApiError.js"
import type * as WireFormat from "../WireFormat.js"

interface ClassCodec {
  readonly ownKeys: ReadonlyArray<string>
  readonly ownSchema: WireFormat.OwnSchema
  readonly encodeOwn: (error: CatalogError.CatalogError) => Readonly<Record<string, unknown>>
  readonly decodeOwn: (encoded: Readonly<Record<string, unknown>>) => Either.Either<Readonly<Record<string, unknown>>, unknown>
}

const noOwnFields: Readonly<Record<string, unknown>> = Object.freeze({})

const classCodecs = new WeakMap<CatalogError.AnyClass, ClassCodec>()

/**
 * An own field that arrives as a string where its schema wants another type (formats such as Google's carry every
 * own field as a string) is read as the JSON that string holds.
 */
const fromStrings = (
  fields: Schema.Struct.Fields,
  encoded: Readonly<Record<string, unknown>>
): Readonly<Record<string, unknown>> | undefined => {
  let changed = false
  const out: Record<string, unknown> = { ...encoded }
  const signatures = SchemaAST.encodedAST(Schema.Struct(fields).ast)
  if (!SchemaAST.isTypeLiteral(signatures)) return undefined
  for (const signature of signatures.propertySignatures) {
    const key = String(signature.name)
    const value = encoded[key]
    if (typeof value !== "string" || Schema.is(Schema.make(signature.type))(value)) continue
    try {
      out[key] = JSON.parse(value)
      changed = true
    } catch {
      return undefined
    }
  }
  return changed ? out : undefined
}

/**
 * A JSON Schema with its `$defs` written in place of the references to them, so that each member's schema stands
 * on its own inside another document (an envelope's schema, an OpenAPI document). Recursive definitions stay
 * references below a depth where no real body goes.
 */
const inlineDefinitions = (schema: JSONSchema.JsonSchema7Root): unknown => {
  const definitions = (schema.$defs ?? {}) as Record<string, unknown>
  const inline = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => inline(item, depth))
    if (!Predicate.isRecord(value)) return value
    const ref = value.$ref
    if (typeof ref === "string" && ref.startsWith("#/$defs/") && depth < 32) {
      const definition = definitions[decodeURIComponent(ref.slice("#/$defs/".length))]
      if (definition !== undefined) return inline(definition, depth + 1)
    }
    return Object.fromEntries(
      Object.entries(value).filter(([key]) => key !== "$defs" && key !== "$schema").map(([key, member]) => [
        key,
        inline(member, depth)
      ])
    )
  }
  return inline(schema, 0)
}

/** How a class's own fields are written and read: computed once per class. */
export const classCodec = (cls: CatalogError.AnyClass): ClassCodec => {
  let codec = classCodecs.get(cls)
  if (codec === undefined) {
    const ownKeys = encodedKeys(cls.ownFields)
    const own = Schema.Struct(cls.ownFields) as unknown as Schema.Schema<any, any, never>
    const encodeOwn = Schema.encodeEither(own)
    const decode = Schema.decodeUnknownEither(own)
    const ownJsonSchema = inlineDefinitions(JSONSchema.make(own)) as {
      properties?: Record<string, WireFormat.JsonSchema>
      required?: Array<string>
    }
    codec = {
      ownKeys,
      ownSchema: { properties: ownJsonSchema.properties ?? {}, required: ownJsonSchema.required ?? [] },
      encodeOwn: ownKeys.length === 0
        ? () => noOwnFields
        : (error) => Either.getOrElse(encodeOwn(error), () => noOwnFields),
      decodeOwn: (encoded) => {
        const decoded = decode(encoded)
        if (Either.isRight(decoded)) return decoded
        const parsed = fromStrings(cls.ownFields, encoded)
        return parsed === undefined ? decoded : decode(parsed)
      }
    }
    classCodecs.set(cls, codec)
  }
  return codec
}

/** A header of a response as a decoder accepts it: the name in any case, the first of repeated values. */
export const header = (headers: WireFormat.WireInput["headers"], name: string): string | undefined => {
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
  return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : undefined
}

const isRequestId = Schema.is(RequestId)
const maxRetryAfter = 2_147_483_647
const deltaSeconds = /^\s*(\d+)\s*$/
/** IMF-fixdate and the obsolete forms all start with a day name. */
const httpDate = /^\s*[A-Za-z]{3}/

/** A body's retry delay: a non-negative number of seconds, rounded up. */
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

const bodyText = (body: WireFormat.WireInput["body"]): string | undefined => {
  if (body === undefined || body === null) return ""
  if (typeof body === "string") return body
  try {
    return utf8.decode(body)
  } catch {
    return undefined
  }
}

/** Adds the members that are set, in order; `undefined` members are left out. */
export const members = (target: Record<string, unknown>, entries: Record<string, unknown>): Record<string, unknown> => {
  for (const key in entries) {
    if (entries[key] !== undefined) target[key] = entries[key]
  }
  return target
}

/** A response body, read once: its text, and its JSON when it has some. */
export type Parsed =
  | { readonly _tag: "NotUtf8" }
  | { readonly _tag: "Empty" }
  | { readonly _tag: "NotJson"; readonly text: string }
  | { readonly _tag: "Json"; readonly text: string; readonly json: unknown }

export const parse = (body: WireFormat.WireInput["body"]): Parsed => {
  const text = bodyText(body)
  if (text === undefined) return { _tag: "NotUtf8" }
  if (text.trim() === "") return { _tag: "Empty" }
  try {
    return { _tag: "Json", text, json: JSON.parse(text) }
  } catch {
    return { _tag: "NotJson", text }
  }
}

interface UnknownDetails {
  readonly code?: string | undefined
  readonly body?: string | undefined
  readonly retryAfter?: number | undefined
  readonly requestId?: unknown
}

/** What cannot be mapped to a catalog class, with what the response says of itself. */
export const unknownError = (
  input: WireFormat.WireInput,
  options: WireFormat.DecodeOptions | undefined,
  message: string,
  details: UnknownDetails = {}
): UnknownApiError => {
  const headerRequestId = header(input.headers, "x-request-id")
  const requestId = isRequestId(headerRequestId) ? headerRequestId : details.requestId
  const retryAfter = details.retryAfter ??
    parseRetryAfter(header(input.headers, "retry-after"), options?.now ?? Date.now())
  return new UnknownApiError(
    members({ status: Number.isInteger(input.status) ? input.status : 0, message }, {
      code: details.code,
      body: details.body?.slice(0, bodyExcerptLength),
      retryAfter,
      requestId: isRequestId(requestId) ? requestId : undefined
    }) as ConstructorParameters<typeof UnknownApiError>[0],
    true
  )
}

/** Why a parsed body that no envelope reads is not a catalog error. */
export const unreadable = (
  input: WireFormat.WireInput,
  options: WireFormat.DecodeOptions | undefined,
  parsed: Parsed,
  shape: string
): UnknownApiError => {
  const status = input.status
  switch (parsed._tag) {
    case "NotUtf8":
      return unknownError(input, options, `The ${status} response's body is not valid UTF-8`)
    case "Empty":
      return unknownError(input, options, `The ${status} response has an empty body`)
    case "NotJson":
      return unknownError(input, options, `The ${status} response's body is not JSON`, { body: parsed.text })
    case "Json":
      return unknownError(input, options, `The ${status} response's body is not in ${shape}`, { body: parsed.text })
  }
}

const isFieldError = (u: unknown): u is CatalogError.FieldError =>
  Predicate.isRecord(u) && typeof u.field === "string" && typeof u.message === "string" &&
  (u.code === undefined || typeof u.code === "string")

/** Decodes a body an envelope has read into an instance of its catalog class. */
export const fromIncoming = <E extends CatalogError.CatalogError>(
  catalog: Catalog.Catalog<E>,
  input: WireFormat.WireInput,
  options: WireFormat.DecodeOptions | undefined,
  text: string,
  read: WireFormat.Incoming
): E | UnknownApiError => {
  const status = input.status
  const message = typeof read.message === "string" ? read.message : undefined
  const retryAfter = retryAfterFromBody(read.retryAfter) ??
    parseRetryAfter(header(input.headers, "retry-after"), options?.now ?? Date.now())
  const headerRequestId = header(input.headers, "x-request-id")
  const requestId = isRequestId(headerRequestId)
    ? headerRequestId
    : isRequestId(read.requestId)
    ? read.requestId
    : undefined
  const cls = read.foreign === true ? undefined : catalog.byCode(read.code)
  if (cls === undefined || cls.metadata.status !== status) {
    const reason = cls === undefined ? "is not in the catalog" : `is documented with status ${cls.metadata.status}`
    return unknownError(input, options, message ?? `The code ${read.code} ${reason}`, {
      code: read.code,
      body: text,
      retryAfter,
      requestId
    })
  }
  // The common fields are checked here (a string message, well-formed field errors, a bounded whole number of
  // seconds, a well-formed request id): only the error's own fields still need their schema.
  const common = members({ message: message ?? cls.metadata.description }, {
    fieldErrors: read.fieldErrors?.filter(isFieldError),
    retryAfter,
    requestId
  })
  const codec = classCodec(cls)
  if (codec.ownKeys.length === 0) return new cls(common, true) as E
  const ownEncoded: Record<string, unknown> = {}
  for (const key of codec.ownKeys) {
    if (Object.hasOwn(read.own, key)) ownEncoded[key] = read.own[key]
  }
  const own = codec.decodeOwn(ownEncoded)
  return Either.isRight(own)
    ? new cls({ ...common, ...own.right }, true) as E
    : unknownError(input, options, `The ${read.code} error's fields do not match its schema`, {
      code: read.code,
      body: text,
      retryAfter,
      requestId
    })
}

/** Decode never throws: a failure of the engine itself still answers. */
export const total = <A>(
  input: WireFormat.WireInput,
  decode: () => A
): A | UnknownApiError => {
  try {
    return decode()
  } catch (error) {
    return new UnknownApiError({
      status: Number.isInteger(input?.status) ? input.status : 0,
      message: ParseResult.isParseError(error) ? "The response does not match its schema" : "The response could not be decoded"
    }, true)
  }
}
