/**
 * An example of an error response, as the server sends it, for the docs page and the error reference: written by the
 * format's own `encode`, with a request id, a retry delay only at 429 and 503 (the only statuses the server gives
 * one), field errors only for the format's validation error, never debug details (a server sends them only in debug
 * mode, to a request that asks), and the error's own fields with a value their schema accepts. The same at every
 * start.
 */
import type { CatalogError } from "@errata/domain"
import { WireFormat } from "@errata/domain"
import { Arbitrary, FastCheck, Option, Schema, SchemaAST } from "effect"

/** A request id of the form the server makes. */
const requestId = "req_4bf92f3577b34da6a3ce929d0e0e4736"

/** The field error a validation error's example reports, unless the endpoint has one of its own to show. */
export const defaultFieldError: CatalogError.FieldError = { field: "name", message: "name is required", code: "required" }

/** A fixed sample of a schema; `undefined` where none can be made. */
const sampleOf = (schema: Schema.Schema<any, any, never>): unknown =>
  Option.getOrUndefined(Option.liftThrowable(() => FastCheck.sample(Arbitrary.make(schema), { seed: 1, numRuns: 1 })[0])())

/** A value for a field: its schema's first example, else a plain value the schema takes, else a fixed sample. */
const valueOf = (ast: SchemaAST.AST): unknown => {
  const annotated = SchemaAST.getExamplesAnnotation(ast)
  if (Option.isSome(annotated) && annotated.value.length > 0) return annotated.value[0]
  const schema = Schema.make(ast)
  const plain = ["example", 1, true].find(Schema.is(schema))
  return plain !== undefined ? plain : sampleOf(schema)
}

/**
 * The response `format` sends for an example of `cls`; `undefined` where the format cannot carry the class or no
 * instance can be made.
 */
export const response = (
  format: WireFormat.Any,
  cls: CatalogError.AnyClass,
  fieldError: CatalogError.FieldError = defaultFieldError
): WireFormat.WireResponse | undefined => {
  if (WireFormat.clashes(format.envelope, [cls]).length > 0) return undefined
  const own = SchemaAST.typeAST(Schema.Struct(cls.ownFields).ast)
  const props: Record<string, unknown> = {}
  if (SchemaAST.isTypeLiteral(own)) {
    for (const signature of own.propertySignatures) props[String(signature.name)] = valueOf(signature.type)
  }
  if (cls === format.envelope.validationError) props.fieldErrors = [fieldError]
  // Where a field's own examples are refused by its schema: a fixed sample of the whole class.
  const error = Option.liftThrowable(() => new cls(props))().pipe(
    Option.orElse(() => Option.fromNullable(sampleOf(cls) as CatalogError.CatalogError | undefined))
  )
  if (Option.isNone(error)) return undefined
  const { status } = cls.metadata
  return format.encode(error.value, { requestId, ...(status === 429 || status === 503 ? { retryAfter: 1 } : {}) })
}

/** The body of `response`, as JSON. */
export const body = (
  format: WireFormat.Any,
  cls: CatalogError.AnyClass,
  fieldError?: CatalogError.FieldError
): unknown => {
  const wire = response(format, cls, fieldError)
  return wire === undefined ? undefined : JSON.parse(wire.body)
}
