/**
 * Property tests for catalogs and wire formats, as Errata tests its own: arbitraries for any catalog class and for
 * responses of any shape, and ready properties — every class of a catalog survives encode → decode in a format with
 * equal carried fields; a decoder is total over arbitrary statuses, headers and bodies; a format's `jsonSchema`
 * describes what `encode` writes. Each property is a `FastCheck` property; each `assert…` runs one with
 * `FastCheck.assert` and throws what it found, so a test needs one line:
 *
 * ```ts
 * import * as Testing from "@errata/domain/Testing"
 * import { it } from "@effect/vitest"
 *
 * it("my format carries my catalog", () => Testing.assertRoundTrip(MyFormat))
 * ```
 *
 * Not exported from the package root: it loads `ajv` (an optional peer dependency: `npm install -D ajv`), which only
 * tests need.
 *
 * @since 0.1.0
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import { Arbitrary, FastCheck as fc } from "effect"
import type * as Catalog from "./Catalog.js"
import * as CatalogError from "./CatalogError.js"
import { classCodec } from "./internal/codec.js"
import { UnknownApiError } from "./UnknownApiError.js"
import type * as WireFormat from "./WireFormat.js"

/**
 * Instances of a catalog class, from its schema.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const arbitrary = <E extends CatalogError.CatalogError>(cls: CatalogError.AnyClass<E>): fc.Arbitrary<E> => {
  let made = arbitraries.get(cls)
  if (made === undefined) {
    made = Arbitrary.make(cls)
    arbitraries.set(cls, made)
  }
  return made as fc.Arbitrary<E>
}

/** Deriving an arbitrary from a class's schema walks the whole schema: once per class is enough. */
const arbitraries = new WeakMap<CatalogError.AnyClass, fc.Arbitrary<unknown>>()

/**
 * Instances of any class of a catalog.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const anyError = <E extends CatalogError.CatalogError>(catalog: Catalog.Catalog<E>): fc.Arbitrary<E> => {
  if (catalog.errors.length === 0) throw new Error("Testing.anyError: the catalog has no error classes")
  return fc.oneof(...catalog.errors.map(arbitrary))
}

/**
 * What a decoded error must share with the original, by what the format says it carries: tag, message, request
 * id, retry delay, the error's own fields (encoded) and its field errors — without their codes where the format
 * drops them, and one per field, in field order, where the format keys them by field.
 *
 * @since 0.1.0
 * @category round trip
 */
export const carried = (format: WireFormat.Any, error: CatalogError.CatalogError) => {
  let fieldErrors = error.fieldErrors?.map(({ code, field, message }) =>
    format.carries.fieldErrorCodes && code !== undefined ? { field, message, code } : { field, message }
  )
  if (fieldErrors !== undefined && !format.carries.fieldErrorList) {
    fieldErrors = Array.from(new Map(fieldErrors.map((fieldError) => [fieldError.field, fieldError])).values())
      .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
  }
  return {
    tag: error._tag,
    message: error.message,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
    own: classCodec(error.constructor as CatalogError.AnyClass).encodeOwn(error),
    fieldErrors
  }
}

/** A JSON text with sorted keys, `undefined` members left out: equal texts, equal values. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, member: unknown) =>
    typeof member === "object" && member !== null && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member)

const fail = (message: string): never => {
  throw new Error(message)
}

/**
 * The checks of one round trip: the status and content type `encode` gives, the class `decode` finds, and the
 * carried fields. Throws what differs.
 *
 * @since 0.1.0
 * @category round trip
 */
export const checkRoundTrip = (
  format: WireFormat.Any,
  error: CatalogError.CatalogError,
  decoder: { readonly decode: (response: WireFormat.WireInput) => unknown } = format
): void => {
  const cls = error.constructor as CatalogError.AnyClass
  const response = format.encode(error)
  if (response.status !== cls.metadata.status) {
    fail(`${format.name}: ${cls.metadata.tag} was sent with status ${response.status}, not ${cls.metadata.status}`)
  }
  if (response.headers["content-type"] !== format.contentType) {
    fail(`${format.name}: ${cls.metadata.tag} was sent as ${response.headers["content-type"]}`)
  }
  const decoded = decoder.decode(response) as CatalogError.CatalogError | UnknownApiError
  if (!(decoded instanceof cls)) {
    fail(`${format.name}: ${cls.metadata.tag} came back as ${decoded._tag}: ${decoded.message}\n${response.body}`)
  }
  const sent = canonical(carried(format, error))
  const received = canonical(carried(format, decoded as CatalogError.CatalogError))
  if (sent !== received) fail(`${format.name}: ${cls.metadata.tag} changed on the wire\nsent     ${sent}\nreceived ${received}`)
}

/**
 * Every instance of `cls` survives `encode` → `decode` in `format`.
 *
 * @since 0.1.0
 * @category properties
 */
export const roundTrip = <E extends CatalogError.CatalogError>(
  format: WireFormat.Any,
  cls: CatalogError.AnyClass<E>
): fc.IPropertyWithHooks<[E]> => fc.property(arbitrary(cls), (error) => checkRoundTrip(format, error))

/**
 * Every instance of `cls`, sent in each of a detecting decoder's formats, is recognised as that format's and comes
 * back as by that format alone: no other envelope takes it for its own.
 *
 * @since 0.1.0
 * @category properties
 */
export const detectRoundTrip = <E extends CatalogError.CatalogError>(
  detecting: WireFormat.Detecting<any>,
  cls: CatalogError.AnyClass<E>
): fc.IPropertyWithHooks<[E]> =>
  fc.property(arbitrary(cls), (error) => {
    for (const format of detecting.formats) checkRoundTrip(format, error, detecting)
  })

/**
 * The members of a JSON value: each object member and array item, with the value that holds it.
 */
const slots = (json: unknown): Array<readonly [Record<string, unknown> | Array<unknown>, string | number]> => {
  const out: Array<readonly [Record<string, unknown> | Array<unknown>, string | number]> = []
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach((item, i) => (out.push([value, i]), visit(item)))
    else if (typeof value === "object" && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        out.push([value as Record<string, unknown>, key])
        visit(member)
      }
    }
  }
  visit(json)
  return out
}

const removed = Symbol("removed")

/**
 * Bodies nearly in a format's shape: what it writes for an error of its catalog, with a few members replaced by
 * values of any type, by other codes, or removed.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const nearEnvelope = (format: WireFormat.Any): fc.Arbitrary<string> => {
  const codes = format.catalog.errors.map((cls) => cls.metadata.code)
  const replacement = fc.oneof(
    fc.jsonValue(),
    fc.constant(removed),
    fc.constantFrom(...codes),
    fc.constantFrom(...codes).map((code) => code.toUpperCase()),
    fc.string()
  )
  return fc.tuple(anyError(format.catalog), fc.array(fc.tuple(fc.nat(), replacement), { maxLength: 3 })).map(
    ([error, mutations]) => {
      const json: unknown = JSON.parse(format.encode(error).body)
      for (const [at, value] of mutations) {
        const all = slots(json)
        if (all.length === 0) break
        const [holder, key] = all[at % all.length]!
        if (value === removed) {
          if (Array.isArray(holder)) holder.splice(key as number, 1)
          else delete holder[key as string]
        } else {
          ;(holder as Record<string | number, unknown>)[key] = value
        }
      }
      return JSON.stringify(json)
    }
  )
}

/**
 * Responses of any kind, for a decoder: statuses near and far from the catalog's, header maps with odd names,
 * cases and repeated values, and bodies in the format's shape or nearly, any JSON, any text, any bytes, or none.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const anyResponse = (format?: WireFormat.Any): fc.Arbitrary<WireFormat.WireInput> => {
  const statuses = format === undefined ? [400, 404, 429, 500, 503] : format.catalog.errors.map((cls) => cls.metadata.status)
  const near = format === undefined || format.catalog.errors.length === 0 ? [] : [nearEnvelope(format)]
  const body = fc.oneof(
    ...near,
    ...near.map((texts) => texts.map((text) => new TextEncoder().encode(text))),
    fc.jsonValue().map((json) => JSON.stringify(json)),
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.uint8Array(),
    fc.constantFrom("", undefined, null, "null", "{}", "[]", "\"error\"", "{\"__proto__\":{\"error\":\"not_found\"}}")
  )
  const headers = fc.dictionary(
    fc.oneof(fc.constantFrom("retry-after", "Retry-After", "x-request-id", "X-Request-ID", "content-type"), fc.string()),
    fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined))
  )
  const status = fc.oneof(fc.constantFrom(...statuses), fc.integer())
  return fc.record({ status, headers, body })
}

/**
 * A decoder never throws, and gives a catalog error or an `UnknownApiError`, whatever the response.
 *
 * @since 0.1.0
 * @category properties
 */
export const decodeIsTotal = (
  decoder: WireFormat.Any | WireFormat.Detecting<any>,
  responses: fc.Arbitrary<WireFormat.WireInput> = "formats" in decoder
    ? fc.oneof(...decoder.formats.map((format) => anyResponse(format)))
    : anyResponse(decoder)
): fc.IPropertyWithHooks<[WireFormat.WireInput]> =>
  fc.property(responses, (response) => {
    const decoded = decoder.decode(response)
    if (!CatalogError.is(decoded) && !(decoded instanceof UnknownApiError)) {
      fail(`decode gave neither a catalog error nor an UnknownApiError: ${String(decoded)}`)
    }
  })

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })

/**
 * Throws when a JSON value does not validate against a JSON Schema (draft 2020-12, checked by ajv).
 *
 * @since 0.1.0
 * @category json schema
 */
export const checkJsonSchema = (schema: WireFormat.JsonSchema, value: unknown, what = "the value"): void => {
  const validate = ajv.compile(schema)
  if (!validate(value)) fail(`${what} does not match its JSON Schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`)
}

/**
 * Every body `encode` writes for an instance of `cls` validates against `jsonSchema(cls)`.
 *
 * @since 0.1.0
 * @category properties
 */
export const jsonSchemaDescribesEncode = <E extends CatalogError.CatalogError>(
  format: WireFormat.Any,
  cls: CatalogError.AnyClass<E>
): fc.IPropertyWithHooks<[E]> => {
  const schema = format.jsonSchema(cls)
  return fc.property(arbitrary(cls), (error) =>
    checkJsonSchema(schema, JSON.parse(format.encode(error).body), `${format.name}'s body for ${cls.metadata.tag}`))
}

/**
 * How many cases each `assert…` tries: per class for the per-class properties.
 *
 * @since 0.1.0
 * @category assertions
 */
export interface AssertOptions {
  readonly numRuns?: number
  readonly seed?: number
}

/**
 * `roundTrip` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertRoundTrip = (
  format: WireFormat.Any,
  options: AssertOptions & { readonly classes?: ReadonlyArray<CatalogError.AnyClass> } = {}
): void => {
  for (const cls of options.classes ?? format.catalog.errors) fc.assert(roundTrip(format, cls), { numRuns: 25, ...options })
}

/**
 * `jsonSchemaDescribesEncode` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertJsonSchema = (
  format: WireFormat.Any,
  options: AssertOptions & { readonly classes?: ReadonlyArray<CatalogError.AnyClass> } = {}
): void => {
  for (const cls of options.classes ?? format.catalog.errors) {
    fc.assert(jsonSchemaDescribesEncode(format, cls), { numRuns: 10, ...options })
  }
}

/**
 * `decodeIsTotal` for a format or a detecting decoder.
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertTotal = (
  decoder: WireFormat.Any | WireFormat.Detecting<any>,
  options: AssertOptions = {}
): void => {
  fc.assert(decodeIsTotal(decoder), { numRuns: 500, ...options })
}

/**
 * `detectRoundTrip` for every class of the formats' catalogs (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertDetects = (
  detecting: WireFormat.Detecting<any>,
  options: AssertOptions & { readonly classes?: ReadonlyArray<CatalogError.AnyClass> } = {}
): void => {
  const classes = options.classes ?? Array.from(new Set(detecting.formats.flatMap((format) => format.catalog.errors)))
  for (const cls of classes) fc.assert(detectRoundTrip(detecting, cls), { numRuns: 10, ...options })
}
