/**
 * A catalog error is a documented API error: a `Schema.TaggedError` class that carries, once and on the class, its
 * HTTP status (as the `HttpApiSchema` status annotation), its canonical wire code, its category, its retry class and
 * its documentation. The errors of the seed documents are defined with `CatalogError.Class`, and so are a user's own.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform";
import { Predicate, Schema, SchemaAST } from "effect";
/**
 * The retry class of each status in seed 002's table; statuses it does not list are never retried.
 *
 * @since 0.1.0
 * @category retry
 */
export const retryClassOfStatus = (status) => {
    switch (status) {
        case 401:
            return "after_reauthentication";
        case 422:
            return "after_fix";
        case 429:
        case 502:
        case 503:
        case 504:
            return "with_backoff";
        case 500:
            return "with_caution";
        default:
            return "never";
    }
};
/**
 * A code of the vocabulary errors use: lower snake case (`required`, `invalid_format`). Wire formats that write
 * codes in upper case fold them back when reading.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Code = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_]*$/), Schema.annotations({ identifier: "Code", description: "A code in lower snake case" }));
/**
 * One field-level problem of a request: the field's path, a message for people and, optionally, a code.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FieldError = Schema.Struct({
    field: Schema.String,
    message: Schema.String,
    code: Schema.optional(Code)
}).annotations({ identifier: "FieldError" });
/**
 * A request id as Errata accepts it from a caller: bounded length, URL- and header-safe characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RequestId = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9._~:-]{1,128}$/), Schema.annotations({ identifier: "RequestId", description: "1 to 128 characters from A-Z a-z 0-9 . _ ~ : -" }));
/**
 * Seconds to wait before retrying, as in the `Retry-After` header's delta-seconds form.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RetryAfterSeconds = Schema.Int.pipe(Schema.between(0, 2_147_483_647), Schema.annotations({ identifier: "RetryAfterSeconds" }));
const commonFields = (defaultMessage) => ({
    message: Schema.propertySignature(Schema.String).pipe(Schema.withConstructorDefault(() => defaultMessage)),
    fieldErrors: Schema.optional(Schema.Array(FieldError)),
    retryAfter: Schema.optional(RetryAfterSeconds),
    requestId: Schema.optional(RequestId)
});
/**
 * The names every catalog error uses for itself: its tag and its common fields. An error's own fields may not use
 * them; the member names each wire format reserves are checked when a format is built over a catalog.
 *
 * @since 0.1.0
 * @category fields
 */
export const reservedFieldNames = new Set([
    "_tag",
    "message",
    "fieldErrors",
    "retryAfter",
    "requestId"
]);
/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId = Symbol.for("errata/CatalogError");
/**
 * The annotation under which a catalog error's schema carries its `Metadata`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const MetadataAnnotationId = Symbol.for("errata/CatalogError/Metadata");
let captureStackTraces = false;
/**
 * Whether constructing a catalog error captures a stack trace. Off by default: an API error is an expected outcome,
 * and capturing the stack costs more than the rest of the construction (`pnpm bench:codec` measures both). Turn it
 * on while debugging, or in a server whose debug mode reports stack traces.
 *
 * @since 0.1.0
 * @category stack traces
 */
export const setStackTraceCapture = (enabled) => {
    captureStackTraces = enabled;
};
/**
 * @since 0.1.0
 * @category stack traces
 */
export const isStackTraceCaptureEnabled = () => captureStackTraces;
/**
 * Wraps an error class so that constructing it captures no stack trace unless `setStackTraceCapture(true)`.
 *
 * @since 0.1.0
 * @category stack traces
 */
export const withoutStackTrace = (Base) => class extends Base {
    constructor(...args) {
        if (captureStackTraces) {
            super(...args);
            return;
        }
        // V8's stack depth (Node, Chromium); elsewhere the property does nothing.
        const errorClass = Error;
        const limit = errorClass.stackTraceLimit;
        errorClass.stackTraceLimit = 0;
        try {
            super(...args);
        }
        finally {
            errorClass.stackTraceLimit = limit;
        }
    }
};
const codePattern = /^[a-z][a-z0-9_]*$/;
/** `UserNotFound` → "User not found" */
const titleFromTag = (tag) => {
    const words = tag.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
};
/**
 * The member names a struct of fields has once encoded (`Schema.fromKey` renames them).
 *
 * @since 0.1.0
 * @category fields
 */
export const encodedKeys = (fields) => {
    const ast = SchemaAST.encodedAST(Schema.Struct(fields).ast);
    return SchemaAST.isTypeLiteral(ast) ? ast.propertySignatures.map((signature) => String(signature.name)) : [];
};
/**
 * The class behind each catalog error schema, by the declaration node of its AST. Annotating a class (as
 * `HttpApiEndpoint.addError` does with a status) copies the outer node but keeps the declaration, so the class
 * stays reachable from any schema that names it.
 */
const classByDeclaration = new WeakMap();
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
export const Class = () => (tag, definition) => {
    if (!codePattern.test(definition.code)) {
        throw new Error(`CatalogError ${tag}: code "${definition.code}" is not lower snake case`);
    }
    if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
        throw new Error(`CatalogError ${tag}: status ${definition.status} is not an error status`);
    }
    const ownFields = (definition.fields ?? {});
    for (const key of [...Object.keys(ownFields), ...encodedKeys(ownFields)]) {
        if (reservedFieldNames.has(key)) {
            throw new Error(`CatalogError ${tag}: field "${key}" is reserved for every catalog error`);
        }
    }
    const metadata = {
        tag,
        code: definition.code,
        status: definition.status,
        title: definition.title ?? titleFromTag(tag),
        category: definition.category,
        retry: definition.retry ?? retryClassOfStatus(definition.status),
        description: definition.description,
        resolution: definition.resolution
    };
    const Base = Schema.TaggedError()(tag, { ...commonFields(definition.description), ...ownFields }, {
        ...HttpApiSchema.annotations({ status: definition.status }),
        title: metadata.title,
        description: definition.description,
        [MetadataAnnotationId]: metadata
    });
    class Defined extends withoutStackTrace(Base) {
        static metadata = metadata;
        static ownFields = ownFields;
        /** Schema classes build their AST per subclass: this is where the user's own class meets its schema. */
        static get ast() {
            const ast = Reflect.get(Base, "ast", this);
            if (SchemaAST.isTransformation(ast) && !classByDeclaration.has(ast.to)) {
                classByDeclaration.set(ast.to, this);
            }
            return ast;
        }
    }
    Object.defineProperty(Defined.prototype, TypeId, { value: TypeId });
    return Defined;
};
/**
 * @since 0.1.0
 * @category guards
 */
export const is = (u) => Predicate.hasProperty(u, TypeId);
/**
 * Whether a value is a catalog error class.
 *
 * @since 0.1.0
 * @category guards
 */
export const isClass = (u) => typeof u === "function" && Predicate.hasProperty(u, "metadata") && Predicate.hasProperty(u.prototype, TypeId);
/**
 * The metadata of a catalog error instance.
 *
 * @since 0.1.0
 * @category getters
 */
export const metadataOf = (error) => error.constructor.metadata;
/**
 * The catalog error class a schema's AST stands for, if it stands for one (through annotations too).
 *
 * @since 0.1.0
 * @category reflection
 */
export const classOf = (ast) => SchemaAST.isTransformation(ast) ? classByDeclaration.get(ast.to) : classByDeclaration.get(ast);
/**
 * The catalog error classes a schema names, looking through unions: for instance an HttpApi endpoint's declared
 * errors. Other schemas in the union are left out.
 *
 * @since 0.1.0
 * @category reflection
 */
export const classesIn = (ast) => {
    const found = new Set();
    const visit = (node) => {
        if (SchemaAST.isUnion(node))
            return node.types.forEach(visit);
        const cls = classOf(node);
        if (cls !== undefined)
            found.add(cls);
    };
    visit(ast);
    return Array.from(found);
};
//# sourceMappingURL=CatalogError.js.map