/**
 * Field errors a person can act on, from a schema's parse issues. Each invalid field gets one `FieldError` with a
 * stable code from a small vocabulary and a message that names the field in plain words ("name is required",
 * "email must be a string", "id must be at most 64 characters"). Messages are built from the schema's structure
 * and its checks' JSON Schema keywords: never from the value that failed, never from a schema's identifier or an
 * Effect message annotation (which may quote the value). A schema overrides the code and message of its own checks
 * with `Validation.rule`.
 *
 * The codes:
 * - `required`: a member the schema requires is absent.
 * - `invalid_type`: the value is of the wrong type ("must be a number", "must be an integer").
 * - `invalid_format`: a string does not have the required form (a pattern, or a check without a keyword).
 * - `too_short`, `too_long`: a string or an array has fewer or more characters or items than allowed.
 * - `out_of_range`: a number is below or above its bounds.
 * - `not_allowed`: the value is not one of the values the schema lists.
 * - `unknown_field`: the body has a member the schema does not declare.
 * - any code a `Validation.rule` names.
 *
 * A field is named by its path: `address.city`, `items[2].sku`. A member name chosen by the caller that is not a
 * plain name (letters, digits, `_` and `-`, at most 64) is not repeated: its issue is reported at its parent.
 *
 * @since 0.1.0
 */
import type { ParseResult, Schema } from "effect"
import { Option, SchemaAST } from "effect"
import type * as CatalogError from "./CatalogError.js"

/**
 * The codes Errata gives field errors; rules may add their own.
 *
 * @since 0.1.0
 * @category models
 */
export type Code =
  | "required"
  | "invalid_type"
  | "invalid_format"
  | "too_short"
  | "too_long"
  | "out_of_range"
  | "not_allowed"
  | "unknown_field"

/**
 * A catalog class a rule's failure may be answered with: one built from a message and field errors alone.
 *
 * @since 0.1.0
 * @category models
 */
export interface RuleError {
  new(
    props: { readonly message: string; readonly fieldErrors: ReadonlyArray<CatalogError.FieldError> },
    options?: Schema.MakeOptions
  ): CatalogError.CatalogError
  readonly metadata: CatalogError.Metadata
}

/**
 * What a check of one's own reports when it fails.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  /** The field error's code. Defaults to the code of `error`, else `invalid_format`. */
  readonly code?: string | undefined
  /** What the value must be, after the field's name: "must be a valid email address". */
  readonly message: string
  /**
   * The catalog class a request is answered with when this rule is all that failed (`InvalidEmail`); the endpoint
   * declares it. Otherwise the wire format's validation error lists the field.
   */
  readonly error?: RuleError | undefined
}

/**
 * The annotation that carries a `Rule`.
 *
 * @since 0.1.0
 * @category annotations
 */
export const RuleId: unique symbol = Symbol.for("@errata/domain/Validation/Rule")

/**
 * Gives a check a code and message of its own: a failure of the annotated check (`Schema.filter`, `Schema.pattern`,
 * …) is reported with them. The checks it refines keep theirs, and a value of the wrong type its `invalid_type`.
 *
 * @example
 * import { Errors, Validation } from "@errata/domain"
 * import { Schema } from "effect"
 *
 * const Email = Schema.String.pipe(
 *   Schema.pattern(/^[^\s@]+@[^\s@]+$/),
 *   Validation.rule({ message: "must be a valid email address", error: Errors.InvalidEmail })
 * )
 *
 * @since 0.1.0
 * @category annotations
 */
export const rule = (rule: Rule) => <S extends { annotations(annotations: SchemaAST.Annotations): S }>(self: S): S =>
  self.annotations({ [RuleId]: rule })

/**
 * One invalid field, with the rule that named it, if any.
 *
 * @since 0.1.0
 * @category models
 */
export interface Violation extends CatalogError.FieldError {
  readonly code: string
  readonly rule: Rule | undefined
}

/**
 * The invalid fields of a parse issue, one per field (its first issue), in the order the schema met them.
 * `root` names the value itself (an issue without a path), `prefix` goes before every path.
 *
 * @since 0.1.0
 * @category constructors
 */
export const violations = (
  issue: ParseResult.ParseIssue,
  options?: { readonly root?: string | undefined; readonly prefix?: ReadonlyArray<PropertyKey> | undefined }
): ReadonlyArray<Violation> => {
  const found = new Map<string, Violation>()
  const report = (path: ReadonlyArray<PropertyKey>, check: Check, rule: Rule | undefined) => {
    const field = fieldName(path, options?.root ?? "value")
    if (!found.has(field)) {
      const message = check.code === "unknown_field" && !isNamed(path) ? "has a member that is not allowed" : check.message
      found.set(field, { field, code: check.code, message: `${field} ${message}`, rule })
    }
  }
  walk(issue, options?.prefix ?? [], undefined, report)
  return Array.from(found.values())
}

/**
 * The field errors of violations, as the wire carries them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fieldErrors = (violations: ReadonlyArray<Violation>): ReadonlyArray<CatalogError.FieldError> =>
  violations.map(({ code, field, message }) => ({ field, message, code }))

/**
 * One sentence about a set of invalid fields: "2 fields are invalid: email, name".
 *
 * @since 0.1.0
 * @category constructors
 */
export const summary = (errors: ReadonlyArray<CatalogError.FieldError>): string => {
  const fields = errors.map(({ field }) => field)
  const named = fields.length > maxNamed ? `${fields.slice(0, maxNamed).join(", ")} and ${fields.length - maxNamed} more` : fields.join(", ")
  return fields.length === 1 ? `1 field is invalid: ${named}` : `${fields.length} fields are invalid: ${named}`
}

const maxNamed = 10

interface Check {
  readonly code: string
  readonly message: string
}

const plainName = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/

/**
 * A field's name as field errors write it: `items[2].sku`. It stops before a member name that is not a plain name
 * (the caller's, not repeated); `root` names an empty path.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fieldName = (path: ReadonlyArray<PropertyKey>, root: string): string => {
  let name = ""
  for (const key of path) {
    if (typeof key === "number") name += `[${key}]`
    else if (typeof key === "string" && plainName.test(key)) name += name === "" ? key : `.${key}`
    else break
  }
  return name === "" ? root : name
}

const isNamed = (path: ReadonlyArray<PropertyKey>) =>
  path.every((key) => typeof key === "number" || (typeof key === "string" && plainName.test(key)))

const ruleOf = (ast: SchemaAST.AST): Rule | undefined => ast.annotations[RuleId] as Rule | undefined

const fromRule = (rule: Rule): Check => ({
  code: rule.code ?? rule.error?.metadata.code ?? "invalid_format",
  message: rule.message
})

type Report = (path: ReadonlyArray<PropertyKey>, check: Check, rule: Rule | undefined) => void

const walk = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<PropertyKey>,
  inherited: Rule | undefined,
  report: Report
): void => {
  switch (issue._tag) {
    case "Pointer":
      return walk(issue.issue, path.concat(issue.path), undefined, report)
    case "Missing":
      return report(path, { code: "required", message: "is required" }, undefined)
    case "Unexpected":
      return report(path, { code: "unknown_field", message: "is not allowed" }, undefined)
    case "Forbidden":
      return report(path, { code: "invalid_type", message: "could not be checked" }, undefined)
    case "Composite": {
      if (SchemaAST.isUnion(issue.ast)) return walkUnion(issue.ast, issue, path, report)
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
      for (const inner of issues) walk(inner, path, inherited, report)
      return
    }
    case "Refinement": {
      if (issue.kind === "From") return walk(issue.issue, path, undefined, report)
      const rule = ruleOf(issue.ast) ?? inherited
      return report(path, rule !== undefined ? fromRule(rule) : checkOf(issue.ast), rule)
    }
    case "Transformation": {
      // A rule on a transformation (a class, a schema made with `Schema.transform`) is its checks' own.
      const rule = ruleOf(issue.ast) ?? inherited
      if (issue.kind === "Type") return walk(issue.issue, path, rule, report)
      if (issue.kind === "Encoded") return walk(issue.issue, path, undefined, report)
      return report(path, rule !== undefined ? fromRule(rule) : typeCheck(issue.ast), rule)
    }
    case "Type": {
      const rule = ruleOf(issue.ast)
      if (rule !== undefined) return report(path, fromRule(rule), rule)
      if (issue.actual === undefined) return report(path, { code: "required", message: "is required" }, undefined)
      if (SchemaAST.isUnion(issue.ast)) return walkUnion(issue.ast, undefined, path, report)
      if (SchemaAST.isRefinement(issue.ast)) return report(path, checkOf(issue.ast), undefined)
      return report(path, typeCheck(issue.ast), undefined)
    }
  }
}

const isAbsence = (ast: SchemaAST.AST) =>
  SchemaAST.isUndefinedKeyword(ast) || (SchemaAST.isLiteral(ast) && ast.literal === null)

/**
 * A value no member of a union took. Of an optional or nullable value, the issue of the one real member is reported;
 * of a union of values, the values are listed.
 */
const walkUnion = (
  ast: SchemaAST.Union,
  issue: ParseResult.Composite | undefined,
  path: ReadonlyArray<PropertyKey>,
  report: Report
): void => {
  const members = ast.types.filter((member) => !isAbsence(member))
  if (members.length > 0 && members.every((member) => valuesOf(member) !== undefined)) {
    return report(path, notAllowed(members.flatMap((member) => valuesOf(member)!)), undefined)
  }
  if (issue !== undefined) {
    const issues = (Array.isArray(issue.issues) ? issue.issues : [issue.issues]) as ReadonlyArray<ParseResult.ParseIssue>
    const real = issues.filter((inner) => !(inner._tag === "Type" && isAbsence(inner.ast)))
    if (real.length === 1) return walk(real[0]!, path, undefined, report)
  }
  const kinds = Array.from(new Set(members.map(describe)))
  return report(path, { code: "invalid_type", message: `must be ${kinds.join(" or ")}` }, undefined)
}

/** The values a literal or enum schema allows. */
const valuesOf = (ast: SchemaAST.AST): ReadonlyArray<unknown> | undefined =>
  SchemaAST.isLiteral(ast)
    ? [ast.literal]
    : SchemaAST.isEnums(ast)
    ? ast.enums.map(([, value]) => value)
    : SchemaAST.isUnion(ast) && ast.types.every((member) => valuesOf(member) !== undefined)
    ? ast.types.flatMap((member) => valuesOf(member)!)
    : undefined

const shown = (value: unknown) => typeof value === "string" ? value : String(value)

const notAllowed = (values: ReadonlyArray<unknown>): Check => ({
  code: "not_allowed",
  message: values.length === 1 ? `must be ${shown(values[0])}` : `must be one of ${values.map(shown).join(", ")}`
})

/** The check of a value of the wrong type. */
const typeCheck = (ast: SchemaAST.AST): Check => {
  const values = valuesOf(ast)
  return values !== undefined ? notAllowed(values) : { code: "invalid_type", message: `must be ${describe(ast)}` }
}

/** What a schema's values are, in words. */
const describe = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "true or false"
    case "BigIntKeyword":
      return "an integer"
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "an array"
    case "Literal":
      return shown(ast.literal)
    case "Union":
      return Array.from(new Set(ast.types.map(describe))).join(" or ")
    case "Refinement": {
      const keywords = jsonSchemaOf(ast)
      return keywords?.type === "integer" ? "an integer" : describe(ast.from)
    }
    case "Transformation":
      return SchemaAST.isDeclaration(ast.to) ? describe(ast.from) : describe(ast.to)
    case "Suspend":
      return describe(ast.f())
    default:
      return "a valid value"
  }
}

const jsonSchemaOf = (ast: SchemaAST.AST): Record<string, unknown> | undefined =>
  Option.getOrUndefined(SchemaAST.getJSONSchemaAnnotation(ast)) as Record<string, unknown> | undefined

const plural = (n: unknown, one: string, many: string) => n === 1 ? `1 ${one}` : `${n} ${many}`

/** A failed check, in words, from the JSON Schema keywords it declares. */
const checkOf = (ast: SchemaAST.Refinement): Check => {
  const keywords = jsonSchemaOf(ast) ?? {}
  const { maximum, maxItems, maxLength, minimum, minItems, minLength } = keywords
  if (minLength !== undefined && minLength === maxLength) {
    return { code: "invalid_format", message: `must be exactly ${plural(minLength, "character", "characters")} long` }
  }
  if (minLength !== undefined) {
    return { code: "too_short", message: minLength === 1 ? "must not be empty" : `must be at least ${minLength} characters long` }
  }
  if (maxLength !== undefined) return { code: "too_long", message: `must be at most ${plural(maxLength, "character", "characters")}` }
  if (minItems !== undefined) {
    return { code: "too_short", message: minItems === 1 ? "must not be empty" : `must have at least ${minItems} items` }
  }
  if (maxItems !== undefined) return { code: "too_long", message: `must have at most ${plural(maxItems, "item", "items")}` }
  if (minimum !== undefined && maximum !== undefined) {
    return { code: "out_of_range", message: `must be between ${minimum} and ${maximum}` }
  }
  if (minimum !== undefined) return { code: "out_of_range", message: `must be at least ${minimum}` }
  if (maximum !== undefined) return { code: "out_of_range", message: `must be at most ${maximum}` }
  if (keywords.exclusiveMinimum !== undefined) {
    return { code: "out_of_range", message: `must be greater than ${keywords.exclusiveMinimum}` }
  }
  if (keywords.exclusiveMaximum !== undefined) {
    return { code: "out_of_range", message: `must be less than ${keywords.exclusiveMaximum}` }
  }
  if (keywords.type === "integer") return { code: "invalid_type", message: "must be an integer" }
  return { code: "invalid_format", message: "is not in the expected format" }
}
