/**
 * The engine every wire format shares: it writes an error through its format's envelope and reads any response back
 * into a catalog class or an `UnknownApiError`, checking what the envelope reads.
 */
import { Either } from "effect";
import type * as Catalog from "../Catalog.js";
import type * as CatalogError from "../CatalogError.js";
import { UnknownApiError } from "../UnknownApiError.js";
import type * as WireFormat from "../WireFormat.js";
interface ClassCodec {
    readonly ownKeys: ReadonlyArray<string>;
    readonly ownSchema: WireFormat.OwnSchema;
    readonly encodeOwn: (error: CatalogError.CatalogError) => Readonly<Record<string, unknown>>;
    readonly decodeOwn: (encoded: Readonly<Record<string, unknown>>) => Either.Either<Readonly<Record<string, unknown>>, unknown>;
}
/** How a class's own fields are written and read: computed once per class. */
export declare const classCodec: (cls: CatalogError.AnyClass) => ClassCodec;
/** A header of a response as a decoder accepts it: the name in any case, the first of repeated values. */
export declare const header: (headers: WireFormat.WireInput["headers"], name: string) => string | undefined;
/** A `Retry-After` header: delta-seconds, or an HTTP-date (a past date means "now": 0). Garbage is ignored. */
export declare const parseRetryAfter: (value: string | undefined, now: number) => number | undefined;
/** Adds the members that are set, in order; `undefined` members are left out. */
export declare const members: (target: Record<string, unknown>, entries: Record<string, unknown>) => Record<string, unknown>;
/** A response body, read once: its text, and its JSON when it has some. */
export type Parsed = {
    readonly _tag: "NotUtf8";
} | {
    readonly _tag: "Empty";
} | {
    readonly _tag: "NotJson";
    readonly text: string;
} | {
    readonly _tag: "Json";
    readonly text: string;
    readonly json: unknown;
};
export declare const parse: (body: WireFormat.WireInput["body"]) => Parsed;
interface UnknownDetails {
    readonly code?: string | undefined;
    readonly body?: string | undefined;
    readonly retryAfter?: number | undefined;
    readonly requestId?: unknown;
}
/** What cannot be mapped to a catalog class, with what the response says of itself. */
export declare const unknownError: (input: WireFormat.WireInput, options: WireFormat.DecodeOptions | undefined, message: string, details?: UnknownDetails) => UnknownApiError;
/** Why a parsed body that no envelope reads is not a catalog error. */
export declare const unreadable: (input: WireFormat.WireInput, options: WireFormat.DecodeOptions | undefined, parsed: Parsed, shape: string) => UnknownApiError;
/** Decodes a body an envelope has read into an instance of its catalog class. */
export declare const fromIncoming: <E extends CatalogError.CatalogError>(catalog: Catalog.Catalog<E>, input: WireFormat.WireInput, options: WireFormat.DecodeOptions | undefined, text: string, read: WireFormat.Incoming) => E | UnknownApiError;
/** Decode never throws: a failure of the engine itself still answers. */
export declare const total: <A>(input: WireFormat.WireInput, decode: () => A) => A | UnknownApiError;
export {};
//# sourceMappingURL=codec.d.ts.map