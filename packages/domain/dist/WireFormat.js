import { builtin } from "./Catalog.js";
import * as codec from "./internal/codec.js";
import * as envelopes from "./internal/envelopes.js";
/**
 * The classes of a catalog whose own fields the envelope could not carry: a field named like one of its members.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const clashes = (envelope, classes) => {
    const reserved = new Set(envelope.reservedMembers);
    const found = [];
    for (const cls of classes) {
        for (const field of codec.classCodec(cls).ownKeys) {
            if (reserved.has(field))
                found.push({ tag: cls.metadata.tag, field });
        }
    }
    return found;
};
/**
 * A wire format from an envelope, decoding into the given catalog (by default `Catalog.builtin`). A class of the
 * catalog with an own field named like one of the envelope's members is a definition mistake, reported at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (envelope, options = {}) => {
    const catalog = (options.catalog ?? builtin);
    const documentationBase = options.documentationBase ?? "/errors/";
    const clash = clashes(envelope, catalog.errors)[0];
    if (clash !== undefined) {
        throw new Error(`WireFormat ${envelope.name}: ${clash.tag}'s field "${clash.field}" is a member of the envelope`);
    }
    const context = { documentationBase };
    const encode = (error, options) => {
        const cls = error.constructor;
        const metadata = cls.metadata;
        const requestId = error.requestId ?? options?.requestId;
        const retryAfter = error.retryAfter ?? options?.retryAfter;
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
        });
        const headers = { "content-type": envelope.contentType };
        if (requestId !== undefined)
            headers["x-request-id"] = requestId;
        if (retryAfter !== undefined)
            headers["retry-after"] = String(retryAfter);
        return { status: metadata.status, headers, body: JSON.stringify(body) };
    };
    const decode = (input, options) => codec.total(input, () => {
        const parsed = codec.parse(input.body);
        const read = parsed._tag === "Json" ? envelope.read(parsed.json, context) : undefined;
        return read === undefined || parsed._tag !== "Json"
            ? codec.unreadable(input, options, parsed, `the ${envelope.name} format`)
            : codec.fromIncoming(catalog, input, options, parsed.text, read);
    });
    return {
        name: envelope.name,
        source: envelope.source,
        contentType: envelope.contentType,
        carries: envelope.carries,
        envelope,
        catalog,
        documentationBase,
        encode,
        decode,
        jsonSchema: (cls) => envelope.jsonSchema({
            metadata: cls.metadata,
            own: codec.classCodec(cls).ownSchema,
            documentation: documentationBase + cls.metadata.code
        })
    };
};
/**
 * The same format over another catalog.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCatalog = (format, catalog) => make(format.envelope, { catalog, documentationBase: format.documentationBase });
/**
 * @since 0.1.0
 * @category constructors
 */
export const detect = (formats) => {
    const shapes = formats.map((format) => format.name).join(", ");
    return {
        formats,
        decode: (input, options) => codec.total(input, () => {
            const parsed = codec.parse(input.body);
            if (parsed._tag === "Json") {
                const contentType = codec.header(input.headers, "content-type")?.toLowerCase();
                for (const format of formats) {
                    if (!format.envelope.recognizes(parsed.json, contentType))
                        continue;
                    const read = format.envelope.read(parsed.json, { documentationBase: format.documentationBase });
                    if (read !== undefined)
                        return codec.fromIncoming(format.catalog, input, options, parsed.text, read);
                }
            }
            return codec.unreadable(input, options, parsed, `any of the formats ${shapes}`);
        })
    };
};
/**
 * A `Retry-After` header's value in seconds: delta-seconds, or an HTTP-date (a past date gives 0). Garbage gives
 * `undefined`.
 *
 * @since 0.1.0
 * @category headers
 */
export const parseRetryAfter = codec.parseRetryAfter;
/**
 * Seeds 000/001: `{ error, error_description, validation_errors?, retry_after? }`; a validation failure is 400
 * `validation_failed`, a malformed body 400 `bad_request`.
 *
 * @since 0.1.0
 * @category formats
 */
export const OAuthStyle = make(envelopes.oauthStyle);
/**
 * Seed 002: `{ code: "UPPER_SNAKE", message, details?, request_id? }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const CodeMessage = make(envelopes.codeMessage);
/**
 * Seed 003: `{ error: { code, message, details? } }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const NestedError = make(envelopes.nestedError);
/**
 * Seed 004: `{ error, error_description, details?, retry_after?, request_id?, debug? }`.
 *
 * @since 0.1.0
 * @category formats
 */
export const OAuthDetails = make(envelopes.oauthDetails);
/**
 * RFC 9457 problem details, `application/problem+json`.
 *
 * @since 0.1.0
 * @category formats
 */
export const ProblemDetails = make(envelopes.problemDetails);
//# sourceMappingURL=WireFormat.js.map