import { FastCheck as fc } from "effect";
import type * as Catalog from "./Catalog.js";
import * as CatalogError from "./CatalogError.js";
import type * as WireFormat from "./WireFormat.js";
/**
 * Instances of a catalog class, from its schema.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export declare const arbitrary: <E extends CatalogError.CatalogError>(cls: CatalogError.AnyClass<E>) => fc.Arbitrary<E>;
/**
 * Instances of any class of a catalog.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export declare const anyError: <E extends CatalogError.CatalogError>(catalog: Catalog.Catalog<E>) => fc.Arbitrary<E>;
/**
 * What a decoded error must share with the original, by what the format says it carries: tag, message, request
 * id, retry delay, the error's own fields (encoded) and its field errors — without their codes where the format
 * drops them, and one per field, in field order, where the format keys them by field.
 *
 * @since 0.1.0
 * @category round trip
 */
export declare const carried: (format: WireFormat.WireFormat<any, any, any>, error: CatalogError.CatalogError) => {
    tag: string;
    message: string;
    requestId: string | undefined;
    retryAfter: number | undefined;
    own: Readonly<Record<string, unknown>>;
    fieldErrors: ({
        field: string;
        message: string;
        code: string;
    } | {
        field: string;
        message: string;
        code?: never;
    })[] | undefined;
};
/**
 * The checks of one round trip: the status and content type `encode` gives, the class `decode` finds, and the
 * carried fields. Throws what differs.
 *
 * @since 0.1.0
 * @category round trip
 */
export declare const checkRoundTrip: (format: WireFormat.WireFormat<any, any, any>, error: CatalogError.CatalogError) => void;
/**
 * Every instance of `cls` survives `encode` → `decode` in `format`.
 *
 * @since 0.1.0
 * @category properties
 */
export declare const roundTrip: <E extends CatalogError.CatalogError>(format: WireFormat.WireFormat<any, any, any>, cls: CatalogError.AnyClass<E>) => fc.IPropertyWithHooks<[E]>;
/**
 * Bodies nearly in a format's shape: what it writes for an error of its catalog, with a few members replaced by
 * values of any type, by other codes, or removed.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export declare const nearEnvelope: (format: WireFormat.WireFormat<any, any, any>) => fc.Arbitrary<string>;
/**
 * Responses of any kind, for a decoder: statuses near and far from the catalog's, header maps with odd names,
 * cases and repeated values, and bodies in the format's shape or nearly, any JSON, any text, any bytes, or none.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export declare const anyResponse: (format?: WireFormat.WireFormat<any, any, any>) => fc.Arbitrary<WireFormat.WireInput>;
/**
 * A decoder never throws, and gives a catalog error or an `UnknownApiError`, whatever the response.
 *
 * @since 0.1.0
 * @category properties
 */
export declare const decodeIsTotal: (decoder: WireFormat.WireFormat<any, any, any> | WireFormat.Detecting<any>, responses?: fc.Arbitrary<WireFormat.WireInput>) => fc.IPropertyWithHooks<[WireFormat.WireInput]>;
/**
 * Throws when a JSON value does not validate against a JSON Schema (draft 2020-12, checked by ajv).
 *
 * @since 0.1.0
 * @category json schema
 */
export declare const checkJsonSchema: (schema: WireFormat.JsonSchema, value: unknown, what?: string) => void;
/**
 * Every body `encode` writes for an instance of `cls` validates against `jsonSchema(cls)`.
 *
 * @since 0.1.0
 * @category properties
 */
export declare const jsonSchemaDescribesEncode: <E extends CatalogError.CatalogError>(format: WireFormat.WireFormat<any, any, any>, cls: CatalogError.AnyClass<E>) => fc.IPropertyWithHooks<[E]>;
/**
 * How many cases each `assert…` tries: per class for the per-class properties.
 *
 * @since 0.1.0
 * @category assertions
 */
export interface Runs {
    readonly numRuns?: number;
    readonly seed?: number;
}
/**
 * `roundTrip` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export declare const assertRoundTrip: (format: WireFormat.WireFormat<any, any, any>, options?: Runs & {
    readonly classes?: ReadonlyArray<CatalogError.AnyClass>;
}) => void;
/**
 * `jsonSchemaDescribesEncode` for every class of the format's catalog (or the classes given).
 *
 * @since 0.1.0
 * @category assertions
 */
export declare const assertJsonSchema: (format: WireFormat.WireFormat<any, any, any>, options?: Runs & {
    readonly classes?: ReadonlyArray<CatalogError.AnyClass>;
}) => void;
/**
 * `decodeIsTotal` for a format or a detecting decoder.
 *
 * @since 0.1.0
 * @category assertions
 */
export declare const assertTotal: (decoder: WireFormat.WireFormat<any, any, any> | WireFormat.Detecting<any>, options?: Runs) => void;
//# sourceMappingURL=Testing.d.ts.map