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
 * Not exported from the package root: it loads `ajv`, which only tests need.
 *
 * @since 0.1.0
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { Arbitrary, FastCheck as fc } from "effect";
import * as CatalogError from "./CatalogError.js";
import { classCodec } from "./internal/codec.js";
import { UnknownApiError } from "./UnknownApiError.js";
/**
 * Instances of a catalog class, from its schema.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const arbitrary = (cls) => {
    let made = arbitraries.get(cls);
    if (made === undefined) {
        made = Arbitrary.make(cls);
        arbitraries.set(cls, made);
    }
    return made;
};
/** Deriving an arbitrary from a class's schema takes milliseconds: once per class is enough. */
const arbitraries = new WeakMap();
/**
 * Instances of any class of a catalog.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const anyError = (catalog) => fc.oneof(...catalog.errors.map(arbitrary));
/**
 * What a decoded error must share with the original, by what the format says it carries: tag, message, request
 * id, retry delay, the error's own fields (encoded) and its field errors — without their codes where the format
 * drops them, and one per field, in field order, where the format keys them by field.
 *
 * @since 0.1.0
 * @category round trip
 */
export const carried = (format, error) => {
    let fieldErrors = error.fieldErrors?.map(({ code, field, message }) => format.carries.fieldErrorCodes && code !== undefined ? { field, message, code } : { field, message });
    if (fieldErrors !== undefined && !format.carries.fieldErrorList) {
        fieldErrors = Array.from(new Map(fieldErrors.map((fieldError) => [fieldError.field, fieldError])).values())
            .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
    }
    return {
        tag: error._tag,
        message: error.message,
        requestId: error.requestId,
        retryAfter: error.retryAfter,
        own: classCodec(error.constructor).encodeOwn(error),
        fieldErrors
    };
};
/** A JSON text with sorted keys, `undefined` members left out: equal texts, equal values. */
const canonical = (value) => JSON.stringify(value, (_key, member) => typeof member === "object" && member !== null && !Array.isArray(member)
    ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : member);
const fail = (message) => {
    throw new Error(message);
};
/**
 * The checks of one round trip: the status and content type `encode` gives, the class `decode` finds, and the
 * carried fields. Throws what differs.
 *
 * @since 0.1.0
 * @category round trip
 */
export const checkRoundTrip = (format, error) => {
    const cls = error.constructor;
    const response = format.encode(error);
    if (response.status !== cls.metadata.status) {
        fail(`${format.name}: ${cls.metadata.tag} was sent with status ${response.status}, not ${cls.metadata.status}`);
    }
    if (response.headers["content-type"] !== format.contentType) {
        fail(`${format.name}: ${cls.metadata.tag} was sent as ${response.headers["content-type"]}`);
    }
    const decoded = format.decode(response);
    if (!(decoded instanceof cls)) {
        fail(`${format.name}: ${cls.metadata.tag} came back as ${decoded._tag}: ${decoded.message}\n${response.body}`);
    }
    const sent = canonical(carried(format, error));
    const received = canonical(carried(format, decoded));
    if (sent !== received)
        fail(`${format.name}: ${cls.metadata.tag} changed on the wire\nsent     ${sent}\nreceived ${received}`);
};
/**
 * Every instance of `cls` survives `encode` → `decode` in `format`.
 *
 * @since 0.1.0
 * @category properties
 */
export const roundTrip = (format, cls) => fc.property(arbitrary(cls), (error) => checkRoundTrip(format, error));
/**
 * The members of a JSON value: each object member and array item, with the value that holds it.
 */
const slots = (json) => {
    const out = [];
    const visit = (value) => {
        if (Array.isArray(value))
            value.forEach((item, i) => (out.push([value, i]), visit(item)));
        else if (typeof value === "object" && value !== null) {
            for (const [key, member] of Object.entries(value)) {
                out.push([value, key]);
                visit(member);
            }
        }
    };
    visit(json);
    return out;
};
const removed = Symbol("removed");
/**
 * Bodies nearly in a format's shape: what it writes for an error of its catalog, with a few members replaced by
 * values of any type, by other codes, or removed.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const nearEnvelope = (format) => {
    const codes = format.catalog.errors.map((cls) => cls.metadata.code);
    const replacement = fc.oneof(fc.jsonValue(), fc.constant(removed), fc.constantFrom(...codes), fc.constantFrom(...codes).map((code) => code.toUpperCase()), fc.string());
    return fc.tuple(anyError(format.catalog), fc.array(fc.tuple(fc.nat(), replacement), { maxLength: 3 })).map(([error, mutations]) => {
        const json = JSON.parse(format.encode(error).body);
        for (const [at, value] of mutations) {
            const all = slots(json);
            if (all.length === 0)
                break;
            const [holder, key] = all[at % all.length];
            if (value === removed) {
                if (Array.isArray(holder))
                    holder.splice(key, 1);
                else
                    delete holder[key];
            }
            else {
                ;
                holder[key] = value;
            }
        }
        return JSON.stringify(json);
    });
};
/**
 * Responses of any kind, for a decoder: statuses near and far from the catalog's, header maps with odd names,
 * cases and repeated values, and bodies in the format's shape or nearly, any JSON, any text, any bytes, or none.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const anyResponse = (format) => {
    const statuses = format === undefined ? [400, 404, 429, 500, 503] : format.catalog.errors.map((cls) => cls.metadata.status);
    const near = format === undefined ? [] : [nearEnvelope(format)];
    const body = fc.oneof(...near, ...near.map((texts) => texts.map((text) => new TextEncoder().encode(text))), fc.jsonValue().map((json) => JSON.stringify(json)), fc.string(), fc.string({ unit: "binary" }), fc.uint8Array(), fc.constantFrom("", undefined, null, "null", "{}", "[]", "\"error\"", "{\"__proto__\":{\"error\":\"not_found\"}}"));
    const headers = fc.dictionary(fc.oneof(fc.constantFrom("retry-after", "Retry-After", "x-request-id", "X-Request-ID", "content-type"), fc.string()), fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)));
    const status = fc.oneof(fc.constantFrom(...statuses), fc.integer());
    return fc.record({ status, headers, body });
};
/**
 * A decoder never throws, and gives a catalog error or an `UnknownApiError`, whatever the response.
 *
 * @since 0.1.0
 * @category properties
 */
export const decodeIsTotal = (decoder, responses = "formats" in decoder
    ? fc.oneof(...decoder.formats.map((format) => anyResponse(format)))
    : anyResponse(decoder)) => fc.property(responses, (response) => {
    const decoded = decoder.decode(response);
    if (!CatalogError.is(decoded) && !(decoded instanceof UnknownApiError)) {
        fail(`decode gave neither a catalog error nor an UnknownApiError: ${String(decoded)}`);
    }
});
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
/**
 * Throws when a JSON value does not validate against a JSON Schema (draft 2020-12, checked by ajv).
 *
 * @since 0.1.0
 * @category json schema
 */
export const checkJsonSchema = (schema, value, what = "the value") => {
    const validate = ajv.compile(schema);
    if (!validate(value))
        fail(`${what} does not match its JSON Schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
};
/**
 * Every body `encode` writes for an instance of `cls` validates against `jsonSchema(cls)`.
 *
 * @since 0.1.0
 * @category properties
 */
export const jsonSchemaDescribesEncode = (format, cls) => {
    const schema = format.jsonSchema(cls);
    return fc.property(arbitrary(cls), (error) => checkJsonSchema(schema, JSON.parse(format.encode(error).body), `${format.name}'s body for ${cls.metadata.tag}`));
};
const classesOf = (format, classes) => classes ?? format.catalog.errors;
/**
 * `roundTrip` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertRoundTrip = (format, options = {}) => {
    for (const cls of classesOf(format, options.classes))
        fc.assert(roundTrip(format, cls), { numRuns: 25, ...options });
};
/**
 * `jsonSchemaDescribesEncode` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertJsonSchema = (format, options = {}) => {
    for (const cls of classesOf(format, options.classes)) {
        fc.assert(jsonSchemaDescribesEncode(format, cls), { numRuns: 10, ...options });
    }
};
/**
 * `decodeIsTotal` for a format or a detecting decoder.
 *
 * @since 0.1.0
 * @category assertions
 */
export const assertTotal = (decoder, options = {}) => {
    fc.assert(decodeIsTotal(decoder), { numRuns: 500, ...options });
};
//# sourceMappingURL=Testing.js.map