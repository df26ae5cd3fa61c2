/**
 * `UnknownApiError` is what a wire format's decoder returns for a response it cannot map to a catalog error: a code
 * the catalog does not know, a body in no known shape, a status that disagrees with the code, or no body at all.
 *
 * @since 0.1.0
 */
import { Schema } from "effect";
declare const UnknownApiError_base: Schema.TaggedErrorClass<UnknownApiError, "UnknownApiError", {
    readonly _tag: Schema.tag<"UnknownApiError">;
} & {
    status: typeof Schema.Int;
    /** The wire code, when the body had one. */
    code: Schema.optional<typeof Schema.String>;
    message: typeof Schema.String;
    /** The start of the raw body, at most `bodyExcerptLength` characters. */
    body: Schema.optional<typeof Schema.String>;
    retryAfter: Schema.optional<Schema.refine<number, typeof Schema.Int>>;
    requestId: Schema.optional<Schema.refine<string, typeof Schema.String>>;
}>;
/**
 * @since 0.1.0
 * @category errors
 */
export declare class UnknownApiError extends UnknownApiError_base {
}
/**
 * How much of an unrecognised body an `UnknownApiError` keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export declare const bodyExcerptLength = 512;
export {};
//# sourceMappingURL=UnknownApiError.d.ts.map