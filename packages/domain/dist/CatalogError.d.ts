import type { Cause } from "effect";
import { Schema, SchemaAST } from "effect";
/**
 * How a client may retry a request that failed with an error (seed 002's "Retryable" column).
 *
 * @since 0.1.0
 * @category models
 */
export type RetryClass = "never" | "after_reauthentication" | "after_fix" | "with_backoff" | "with_caution";
/**
 * The retry class of each status in seed 002's table; statuses it does not list are never retried.
 *
 * @since 0.1.0
 * @category retry
 */
export declare const retryClassOfStatus: (status: number) => RetryClass;
/**
 * The families the seed documents group their errors in. Open-ended: a user's catalog may add its own.
 *
 * @since 0.1.0
 * @category models
 */
export type Category = "authentication" | "authorization" | "validation" | "not_found" | "conflict" | "state" | "job" | "rate_limit" | "protocol" | "system" | (string & {});
/**
 * Everything the catalog knows about an error class.
 *
 * @since 0.1.0
 * @category models
 */
export interface Metadata<Code extends string = string> {
    readonly tag: string;
    /** Canonical wire code, lower snake case. Formats that use another case fold it. */
    readonly code: Code;
    readonly status: number;
    /** A short, occurrence-independent summary (RFC 9457 `title`). */
    readonly title: string;
    readonly category: Category;
    readonly retry: RetryClass;
    readonly description: string;
    readonly resolution: string;
}
/**
 * A code of the vocabulary errors use: lower snake case (`required`, `invalid_format`). Wire formats that write
 * codes in upper case fold them back when reading.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare const Code: Schema.refine<string, typeof Schema.String>;
/**
 * One field-level problem of a request: the field's path, a message for people and, optionally, a code.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare const FieldError: Schema.Struct<{
    field: typeof Schema.String;
    message: typeof Schema.String;
    code: Schema.optional<Schema.refine<string, typeof Schema.String>>;
}>;
/**
 * @since 0.1.0
 * @category models
 */
export type FieldError = typeof FieldError.Type;
/**
 * A request id as Errata accepts it from a caller: bounded length, URL- and header-safe characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare const RequestId: Schema.refine<string, typeof Schema.String>;
/**
 * Seconds to wait before retrying, as in the `Retry-After` header's delta-seconds form.
 *
 * @since 0.1.0
 * @category schemas
 */
export declare const RetryAfterSeconds: Schema.refine<number, typeof Schema.Int>;
declare const commonFields: (defaultMessage: string) => {
    message: Schema.PropertySignature<":", string, never, ":", string, true, never>;
    fieldErrors: Schema.optional<Schema.Array$<Schema.Struct<{
        field: typeof Schema.String;
        message: typeof Schema.String;
        code: Schema.optional<Schema.refine<string, typeof Schema.String>>;
    }>>>;
    retryAfter: Schema.optional<Schema.refine<number, typeof Schema.Int>>;
    requestId: Schema.optional<Schema.refine<string, typeof Schema.String>>;
};
/**
 * The fields every catalog error has.
 *
 * @since 0.1.0
 * @category models
 */
export type CommonFields = ReturnType<typeof commonFields>;
/**
 * The names every catalog error uses for itself: its tag and its common fields. An error's own fields may not use
 * them; the member names each wire format reserves are checked when a format is built over a catalog.
 *
 * @since 0.1.0
 * @category fields
 */
export declare const reservedFieldNames: ReadonlySet<string>;
/**
 * @since 0.1.0
 * @category symbols
 */
export declare const TypeId: unique symbol;
/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId;
/**
 * An instance of any catalog error.
 *
 * @since 0.1.0
 * @category models
 */
export interface CatalogError extends Cause.YieldableError {
    readonly [TypeId]: TypeId;
    readonly _tag: string;
    readonly message: string;
    readonly fieldErrors?: ReadonlyArray<FieldError> | undefined;
    readonly retryAfter?: number | undefined;
    readonly requestId?: string | undefined;
}
/**
 * Any catalog error class, as catalogs and wire formats see it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnyClass<E extends CatalogError = CatalogError> extends Schema.Schema<any, any, never> {
    new (props: any, options?: Schema.MakeOptions): E;
    readonly metadata: Metadata;
    /** The fields the error adds to the common ones. */
    readonly ownFields: Schema.Struct.Fields;
}
/**
 * All the fields of a catalog error class: its tag, the common fields and its own.
 *
 * @since 0.1.0
 * @category models
 */
export type AllFields<Tag extends string, Fields extends Schema.Struct.Fields> = {
    readonly _tag: Schema.tag<Tag>;
} & CommonFields & Fields;
/**
 * The class `CatalogError.Class` defines.
 *
 * @since 0.1.0
 * @category models
 */
export interface DefinedClass<Self, Tag extends string, Code extends string, Fields extends Schema.Struct.Fields> extends Schema.Class<Self, AllFields<Tag, Fields>, Schema.Struct.Encoded<AllFields<Tag, Fields>>, Schema.Struct.Context<AllFields<Tag, Fields>>, Schema.Struct.Constructor<Omit<AllFields<Tag, Fields>, "_tag">>, {}, Cause.YieldableError & {
    readonly [TypeId]: TypeId;
}> {
    readonly _tag: Tag;
    readonly metadata: Metadata<Code>;
    readonly ownFields: Fields;
}
/**
 * What a definition says about the error.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<Code extends string, Fields extends Schema.Struct.Fields> {
    readonly code: Code;
    readonly status: number;
    readonly category: Category;
    readonly description: string;
    readonly resolution: string;
    /** Defaults to the retry class of the status (`retryClassOfStatus`). */
    readonly retry?: RetryClass;
    /** Defaults to the tag in words: `UserNotFound` → "User not found". */
    readonly title?: string;
    /** Typed fields of this error's own, beside `message`, `fieldErrors`, `retryAfter` and `requestId`. */
    readonly fields?: Fields;
}
/**
 * The annotation under which a catalog error's schema carries its `Metadata`.
 *
 * @since 0.1.0
 * @category annotations
 */
export declare const MetadataAnnotationId: unique symbol;
/**
 * Whether constructing a catalog error captures a stack trace. Off by default: an API error is an expected outcome,
 * and capturing the stack costs more than the rest of the construction (`pnpm bench:codec` measures both). Turn it
 * on while debugging, or in a server whose debug mode reports stack traces.
 *
 * @since 0.1.0
 * @category stack traces
 */
export declare const setStackTraceCapture: (enabled: boolean) => void;
/**
 * @since 0.1.0
 * @category stack traces
 */
export declare const isStackTraceCaptureEnabled: () => boolean;
/**
 * Wraps an error class so that constructing it captures no stack trace unless `setStackTraceCapture(true)`.
 *
 * @since 0.1.0
 * @category stack traces
 */
export declare const withoutStackTrace: <C extends new (...args: Array<any>) => object>(Base: C) => C;
/**
 * The member names a struct of fields has once encoded (`Schema.fromKey` renames them).
 *
 * @since 0.1.0
 * @category fields
 */
export declare const encodedKeys: (fields: Schema.Struct.Fields) => ReadonlyArray<string>;
/**
 * Defines a catalog error class.
 *
 * @example
 * ```ts
 * import { CatalogError } from "@errata/domain"
 * import { Schema } from "effect"
 *
 * class PlanLimitReached extends CatalogError.Class<PlanLimitReached>()("PlanLimitReached", {
 *   code: "plan_limit_reached",
 *   status: 403,
 *   category: "authorization",
 *   description: "The account's plan does not allow more of this resource",
 *   resolution: "Upgrade the plan or delete unused resources",
 *   fields: { limit: Schema.optional(Schema.Int) }
 * }) {}
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export declare const Class: <Self>() => <const Tag extends string, const Code extends string, const Fields extends Schema.Struct.Fields = {}>(tag: Tag, definition: Definition<Code, Fields>) => DefinedClass<Self, Tag, Code, Fields>;
/**
 * @since 0.1.0
 * @category guards
 */
export declare const is: (u: unknown) => u is CatalogError;
/**
 * Whether a value is a catalog error class.
 *
 * @since 0.1.0
 * @category guards
 */
export declare const isClass: (u: unknown) => u is AnyClass;
/**
 * The metadata of a catalog error instance.
 *
 * @since 0.1.0
 * @category getters
 */
export declare const metadataOf: (error: CatalogError) => Metadata;
/**
 * The catalog error class a schema's AST stands for, if it stands for one (through annotations too).
 *
 * @since 0.1.0
 * @category reflection
 */
export declare const classOf: (ast: SchemaAST.AST) => AnyClass | undefined;
/**
 * The catalog error classes a schema names, looking through unions: for instance an HttpApi endpoint's declared
 * errors. Other schemas in the union are left out.
 *
 * @since 0.1.0
 * @category reflection
 */
export declare const classesIn: (ast: SchemaAST.AST) => ReadonlyArray<AnyClass>;
export {};
//# sourceMappingURL=CatalogError.d.ts.map