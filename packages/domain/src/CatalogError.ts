/**
 * `CatalogError` defines a documented API error: a `Schema.TaggedError` class that carries, once and on the class,
 * its HTTP status (as the `HttpApiSchema` status annotation), its canonical wire code, its category, its retry class
 * and its documentation. The 51 errors of the seed documents are defined with it, and so are a user's own errors.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import type { Cause } from "effect"
import { Predicate, Schema, SchemaAST } from "effect"

/**
 * How a client may retry a request that failed with an error (seed 002's "Retryable" column).
 *
 * @since 0.1.0
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
 */
export interface ErrorMetadata<Code extends string = string> {
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
 * One field-level problem of a request.
 *
 * @since 0.1.0
 */
export const FieldError = Schema.Struct({
  field: Schema.String,
  message: Schema.String,
  code: Schema.optional(Schema.String)
}).annotations({ identifier: "FieldError" })

/**
 * @since 0.1.0
 */
export type FieldError = typeof FieldError.Type

/**
 * A request id as Errata accepts it from a caller: bounded length, URL- and header-safe characters.
 *
 * @since 0.1.0
 */
export const RequestId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._~:-]{1,128}$/),
  Schema.annotations({ identifier: "RequestId", description: "1 to 128 characters from A-Z a-z 0-9 . _ ~ : -" })
)

/**
 * Seconds to wait before retrying, as in the `Retry-After` header's delta-seconds form.
 *
 * @since 0.1.0
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
 */
export type CommonFields = ReturnType<typeof commonFields>

/**
 * The names of the common fields, in their encoded form (which equals their type form).
 *
 * @since 0.1.0
 */
export const commonFieldNames: ReadonlyArray<string> = ["message", "fieldErrors", "retryAfter", "requestId"]

/**
 * Member names used by the envelopes of the wire formats: an error's own fields may not use them (after encoding).
 *
 * @since 0.1.0
 */
export const reservedFieldNames: ReadonlySet<string> = new Set([
  "_tag",
  ...commonFieldNames,
  "error",
  "error_description",
  "validation_errors",
  "retry_after",
  "code",
  "details",
  "request_id",
  "type",
  "title",
  "status",
  "detail",
  "instance",
  "errors",
  "debug"
])

/**
 * @since 0.1.0
 */
export const TypeId: unique symbol = Symbol.for("errata/CatalogError")

/**
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * An instance of any catalog error.
 *
 * @since 0.1.0
 */
export interface AnyCatalogError extends Cause.YieldableError {
  readonly [TypeId]: TypeId
  readonly _tag: string
  readonly message: string
  readonly fieldErrors?: ReadonlyArray<FieldError> | undefined
  readonly retryAfter?: number | undefined
  readonly requestId?: string | undefined
}

/**
 * Any catalog error class, as the catalog and the wire formats see it.
 *
 * @since 0.1.0
 */
export interface AnyCatalogErrorClass<E extends AnyCatalogError = AnyCatalogError> extends Schema.Schema<any, any, never> {
  new(props: any, options?: Schema.MakeOptions): E
  readonly metadata: ErrorMetadata
  /** The fields the error adds to the common ones. */
  readonly ownFields: Schema.Struct.Fields
}

/**
 * All the fields of a catalog error class: its tag, the common fields and its own.
 *
 * @since 0.1.0
 */
export type AllFields<Tag extends string, Fields extends Schema.Struct.Fields> =
  & { readonly _tag: Schema.tag<Tag> }
  & CommonFields
  & Fields

/**
 * The class a `CatalogError` definition produces.
 *
 * @since 0.1.0
 */
export interface CatalogErrorClass<Self, Tag extends string, Code extends string, Fields extends Schema.Struct.Fields>
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
  readonly metadata: ErrorMetadata<Code>
  readonly ownFields: Fields
}

/**
 * What a `CatalogError` definition says about the error.
 *
 * @since 0.1.0
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
 * The annotation under which a catalog error's schema carries its `ErrorMetadata`.
 *
 * @since 0.1.0
 */
export const MetadataAnnotationId: unique symbol = Symbol.for("errata/CatalogError/Metadata")

let captureStackTraces = false

/**
 * Whether constructing a catalog error captures a stack trace. Off by default: an API error is an expected outcome,
 * and capturing the stack costs more than the rest of the construction (see `pnpm bench:codec`). Turn it on while
 * debugging, or in a server whose debug mode reports stack traces.
 *
 * @since 0.1.0
 */
export const setStackTraceCapture = (enabled: boolean): void => {
  captureStackTraces = enabled
}

/**
 * @since 0.1.0
 */
export const isStackTraceCaptureEnabled = (): boolean => captureStackTraces

/**
 * Wraps an error class so that constructing it captures no stack trace unless `setStackTraceCapture(true)`.
 *
 * @since 0.1.0
 */
export const withoutStackTrace = <C extends new(...args: Array<any>) => object>(Base: C): C =>
  class extends Base {
    constructor(...args: Array<any>) {
      if (captureStackTraces) {
        super(...args)
        return
      }
      const limit = Error.stackTraceLimit
      Error.stackTraceLimit = 0
      try {
        super(...args)
      } finally {
        Error.stackTraceLimit = limit
      }
    }
  }

const codePattern = /^[a-z][a-z0-9_]*$/

/** `UserNotFound` → "User not found" */
const titleFromTag = (tag: string): string => {
  const words = tag.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The member names a struct of fields has once encoded (`Schema.fromKey` renames them).
 *
 * @since 0.1.0
 */
export const encodedKeys = (fields: Schema.Struct.Fields): ReadonlyArray<string> => {
  const ast = SchemaAST.encodedAST(Schema.Struct(fields).ast)
  return SchemaAST.isTypeLiteral(ast) ? ast.propertySignatures.map((signature) => String(signature.name)) : []
}

/**
 * Defines a catalog error class.
 *
 * @example
 * ```ts
 * class PlanLimitReached extends CatalogError<PlanLimitReached>()("PlanLimitReached", {
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
 */
export const CatalogError = <Self>() =>
<const Tag extends string, const Code extends string, const Fields extends Schema.Struct.Fields = {}>(
  tag: Tag,
  definition: Definition<Code, Fields>
): CatalogErrorClass<Self, Tag, Code, Fields> => {
  if (!codePattern.test(definition.code)) {
    throw new Error(`CatalogError ${tag}: code "${definition.code}" is not lower snake case`)
  }
  if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
    throw new Error(`CatalogError ${tag}: status ${definition.status} is not an error status`)
  }
  const ownFields = (definition.fields ?? {}) as Fields
  for (const key of [...Object.keys(ownFields), ...encodedKeys(ownFields)]) {
    if (reservedFieldNames.has(key)) {
      throw new Error(`CatalogError ${tag}: field "${key}" is reserved by the wire formats`)
    }
  }
  const metadata: ErrorMetadata<Code> = {
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
  class Defined extends withoutStackTrace(Base as new(...args: Array<any>) => object) {
    static readonly metadata = metadata
    static readonly ownFields = ownFields
  }
  Object.defineProperty(Defined.prototype, TypeId, { value: TypeId })
  return Defined as any
}

/**
 * @since 0.1.0
 */
export const isCatalogError = (u: unknown): u is AnyCatalogError => Predicate.hasProperty(u, TypeId)

/**
 * The metadata of a catalog error instance.
 *
 * @since 0.1.0
 */
export const metadataOf = (error: AnyCatalogError): ErrorMetadata =>
  (error.constructor as AnyCatalogErrorClass).metadata
