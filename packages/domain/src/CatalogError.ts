/**
 * A catalog error is a documented API error: a `Schema.TaggedError` class that carries, once and on the class, its
 * HTTP status (as the `HttpApiSchema` status annotation), its canonical wire code, its category, its retry class and
 * its documentation. The errors of the seed documents are defined with `CatalogError.Class`, and so are a user's own.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import type { Cause } from "effect"
import { Predicate, Schema, SchemaAST } from "effect"
import { encodedKeys } from "./internal/fields.js"
import * as stackTrace from "./internal/stackTrace.js"

/**
 * How a client may retry a request that failed with an error (seed 002's "Retryable" column).
 *
 * @since 0.1.0
 * @category models
 */
export type RetryClass =
  | "never"
  | "after_reauthentication"
  | "after_fix"
  | "with_backoff"
  | "with_caution"

/**
 * The retry class of each status in seed 002's table; statuses it does not list are never retried.
 *
 * @since 0.1.0
 * @category retry
 */
export const retryClassOfStatus = (status: number): RetryClass => {
  switch (status) {
    case 401:
      return "after_reauthentication"
    case 422:
      return "after_fix"
    case 429:
    case 502:
    case 503:
    case 504:
      return "with_backoff"
    case 500:
      return "with_caution"
    default:
      return "never"
  }
}

/**
 * The families the seed documents group their errors in. Open-ended: a user's catalog may add its own.
 *
 * @since 0.1.0
 * @category models
 */
export type Category =
  | "authentication"
  | "authorization"
  | "validation"
  | "not_found"
  | "conflict"
  | "state"
  | "job"
  | "rate_limit"
  | "protocol"
  | "system"
  | (string & {})

/**
 * Everything the catalog knows about an error class.
 *
 * @since 0.1.0
 * @category models
 */
export interface Metadata<Code extends string = string> {
  readonly tag: string
  /** Canonical wire code, lower snake case. Formats that use another case fold it. */
  readonly code: Code
  readonly status: number
  /** A short, occurrence-independent summary (RFC 9457 `title`). */
  readonly title: string
  readonly category: Category
  readonly retry: RetryClass
  readonly description: string
  readonly resolution: string
}

/**
 * A code of the vocabulary errors use: lower snake case (`required`, `invalid_format`). Wire formats that write
 * codes in upper case fold them back when reading.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Code = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9_]*$/),
  Schema.annotations({ identifier: "Code", description: "A code in lower snake case" })
)

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
}).annotations({ identifier: "FieldError" })

/**
 * @since 0.1.0
 * @category models
 */
export type FieldError = typeof FieldError.Type

/**
 * A request id as Errata accepts it from a caller: bounded length, URL- and header-safe characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RequestId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._~:-]{1,128}$/),
  Schema.annotations({ identifier: "RequestId", description: "1 to 128 characters from A-Z a-z 0-9 . _ ~ : -" })
)

/**
 * Seconds to wait before retrying, as in the `Retry-After` header's delta-seconds form.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RetryAfterSeconds = Schema.Int.pipe(
  Schema.between(0, 2_147_483_647),
  Schema.annotations({ identifier: "RetryAfterSeconds" })
)

const commonFields = (defaultMessage: string) => ({
  message: Schema.propertySignature(Schema.String).pipe(Schema.withConstructorDefault(() => defaultMessage)),
  fieldErrors: Schema.optional(Schema.Array(FieldError)),
  retryAfter: Schema.optional(RetryAfterSeconds),
  requestId: Schema.optional(RequestId)
})

/**
 * The fields every catalog error has.
 *
 * @since 0.1.0
 * @category models
 */
export type CommonFields = ReturnType<typeof commonFields>

/**
 * The names every catalog error uses for itself: its tag and its common fields. An error's own fields may not use
 * them; the member names each wire format reserves are checked when a format is built over a catalog.
 *
 * @since 0.1.0
 * @category fields
 */
export const reservedFieldNames: ReadonlySet<string> = new Set([
  "_tag",
  "message",
  "fieldErrors",
  "retryAfter",
  "requestId"
])

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("errata/CatalogError")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * An instance of any catalog error.
 *
 * @since 0.1.0
 * @category models
 */
export interface CatalogError extends Cause.YieldableError {
  readonly [TypeId]: TypeId
  readonly _tag: string
  readonly message: string
  readonly fieldErrors?: ReadonlyArray<FieldError> | undefined
  readonly retryAfter?: number | undefined
  readonly requestId?: string | undefined
}

/**
 * Any catalog error class, as catalogs and wire formats see it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AnyClass<E extends CatalogError = CatalogError> extends Schema.Schema<any, any, never> {
  new(props: any, options?: Schema.MakeOptions): E
  readonly metadata: Metadata
  /** The fields the error adds to the common ones. */
  readonly ownFields: Schema.Struct.Fields
}

/**
 * All the fields of a catalog error class: its tag, the common fields and its own.
 *
 * @since 0.1.0
 * @category models
 */
export type AllFields<Tag extends string, Fields extends Schema.Struct.Fields> =
  & { readonly _tag: Schema.tag<Tag> }
  & CommonFields
  & Fields

/**
 * The class `CatalogError.Class` defines.
 *
 * @since 0.1.0
 * @category models
 */
export interface DefinedClass<Self, Tag extends string, Code extends string, Fields extends Schema.Struct.Fields>
  extends
    Schema.Class<
      Self,
      AllFields<Tag, Fields>,
      Schema.Struct.Encoded<AllFields<Tag, Fields>>,
      Schema.Struct.Context<AllFields<Tag, Fields>>,
      Schema.Struct.Constructor<Omit<AllFields<Tag, Fields>, "_tag">>,
      {},
      Cause.YieldableError & { readonly [TypeId]: TypeId }
    >
{
  readonly _tag: Tag
  readonly metadata: Metadata<Code>
  readonly ownFields: Fields
}

/**
 * What a definition says about the error.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<Code extends string, Fields extends Schema.Struct.Fields> {
  readonly code: Code
  readonly status: number
  readonly category: Category
  readonly description: string
  readonly resolution: string
  /** Defaults to the retry class of the status (`retryClassOfStatus`). */
  readonly retry?: RetryClass
  /** Defaults to the tag in words: `UserNotFound` → "User not found". */
  readonly title?: string
  /** Typed fields of this error's own, beside `message`, `fieldErrors`, `retryAfter` and `requestId`. */
  readonly fields?: Fields
}

/**
 * The annotation under which a catalog error's schema carries its `Metadata`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const MetadataAnnotationId: unique symbol = Symbol.for("errata/CatalogError/Metadata")

/**
 * Whether constructing a catalog error captures a stack trace. Off by default: an API error is an expected outcome,
 * and capturing the stack costs more than the rest of the construction (`pnpm bench:codec` measures both). Turn it
 * on while debugging, or in a server whose debug mode reports stack traces.
 *
 * @since 0.1.0
 * @category stack traces
 */
export const setStackTraceCapture: (enabled: boolean) => void = stackTrace.setCapture

const isCode = Schema.is(Code)

/** `UserNotFound` → "User not found" */
const titleFromTag = (tag: string): string => {
  const words = tag.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The class behind each catalog error schema, by the declaration node of its AST. Annotating a class (as
 * `HttpApiEndpoint.addError` does with a status) copies the outer node but keeps the declaration, so the class
 * stays reachable from any schema that names it.
 */
const classByDeclaration = new WeakMap<SchemaAST.AST, AnyClass>()

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
export const Class = <Self>() =>
<const Tag extends string, const Code extends string, const Fields extends Schema.Struct.Fields = {}>(
  tag: Tag,
  definition: Definition<Code, Fields>
): DefinedClass<Self, Tag, Code, Fields> => {
  if (!isCode(definition.code)) {
    throw new Error(`CatalogError ${tag}: code "${definition.code}" is not lower snake case`)
  }
  if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
    throw new Error(`CatalogError ${tag}: status ${definition.status} is not an error status`)
  }
  const ownFields = (definition.fields ?? {}) as Fields
  for (const key of [...Object.keys(ownFields), ...encodedKeys(ownFields)]) {
    if (reservedFieldNames.has(key)) {
      throw new Error(`CatalogError ${tag}: field "${key}" is reserved for every catalog error`)
    }
  }
  const metadata: Metadata<Code> = {
    tag,
    code: definition.code,
    status: definition.status,
    title: definition.title ?? titleFromTag(tag),
    category: definition.category,
    retry: definition.retry ?? retryClassOfStatus(definition.status),
    description: definition.description,
    resolution: definition.resolution
  }
  const Base: any = Schema.TaggedError<Self>()(tag, { ...commonFields(definition.description), ...ownFields }, {
    ...HttpApiSchema.annotations({ status: definition.status }),
    title: metadata.title,
    description: definition.description,
    [MetadataAnnotationId]: metadata
  })
  class Defined extends stackTrace.withoutStackTrace(Base as new(...args: Array<any>) => object) {
    static readonly metadata = metadata
    static readonly ownFields = ownFields
    /** Schema classes build their AST per subclass: this is where the user's own class meets its schema. */
    static get ast(): SchemaAST.AST {
      const ast: SchemaAST.AST = Reflect.get(Base, "ast", this)
      if (SchemaAST.isTransformation(ast) && !classByDeclaration.has(ast.to)) {
        classByDeclaration.set(ast.to, this as unknown as AnyClass)
      }
      return ast
    }
  }
  Object.defineProperty(Defined.prototype, TypeId, { value: TypeId })
  return Defined as any
}

/**
 * @since 0.1.0
 * @category guards
 */
export const is = (u: unknown): u is CatalogError => Predicate.hasProperty(u, TypeId)

/**
 * The metadata of a catalog error instance.
 *
 * @since 0.1.0
 * @category getters
 */
export const metadataOf = (error: CatalogError): Metadata => (error.constructor as AnyClass).metadata

/**
 * The catalog error class a schema's AST stands for, if it stands for one (through annotations too).
 *
 * @since 0.1.0
 * @category reflection
 */
export const classOf = (ast: SchemaAST.AST): AnyClass | undefined =>
  SchemaAST.isTransformation(ast) ? classByDeclaration.get(ast.to) : classByDeclaration.get(ast)

/**
 * The catalog error classes a schema names, looking through unions: for instance an HttpApi endpoint's declared
 * errors. Other schemas in the union are left out, and so are the members `include` refuses.
 *
 * @since 0.1.0
 * @category reflection
 */
export const classesIn = (
  ast: SchemaAST.AST,
  include: (member: SchemaAST.AST) => boolean = () => true
): ReadonlyArray<AnyClass> => {
  const found = new Set<AnyClass>()
  const visit = (node: SchemaAST.AST): void => {
    if (SchemaAST.isUnion(node)) return node.types.forEach(visit)
    const cls = classOf(node)
    if (cls !== undefined && include(node)) found.add(cls)
  }
  visit(ast)
  return Array.from(found)
}
