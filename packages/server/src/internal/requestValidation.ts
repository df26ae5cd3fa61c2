/**
 * A request's invalid fields, path, query and body alike, in one list. HttpApi decodes the parts of a request one
 * after the other, stops at the first in error and keeps only formatted messages; when it fails, the request is
 * decoded again here against the endpoint's schemas, every issue reported and unknown body members refused, and the
 * parse issues become `Validation` violations.
 */
import type { HttpServerRequest } from "@effect/platform"
import { HttpServerRequest as ServerRequest } from "@effect/platform"
import { Validation } from "@errata/domain"
import { Effect, Either, ParseResult, Schema, SchemaAST } from "effect"

/** The schemas of an endpoint's input. */
export interface Schemas {
  readonly path: Schema.Schema.All | undefined
  readonly query: Schema.Schema.All | undefined
  /** Of a JSON body; for a method without a body, HttpApi decodes the payload from the query. */
  readonly payload: Schema.Schema.All | undefined
}

const everyIssue: SchemaAST.ParseOptions = { errors: "all" }
const everyIssueStrict: SchemaAST.ParseOptions = { errors: "all", onExcessProperty: "error" }

/** The parse options of a body: unknown members are refused. */
export const strictBody: SchemaAST.ParseOptions = { onExcessProperty: "error" }

const violationsOf = (
  schema: Schema.Schema.All,
  input: unknown,
  options: SchemaAST.ParseOptions,
  root: string
): ReadonlyArray<Validation.Violation> => {
  const result = ParseResult.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>, options)(input)
  return Either.isLeft(result) ? Validation.violations(result.left, { root }) : []
}

const hasBody = (method: string) => method === "POST" || method === "PUT" || method === "PATCH" || method === "DELETE"

/** The body as JSON: absent when empty, `undefined` when it is not JSON (HttpApi refused it before the schema). */
const bodyOf = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(Effect.orElseSucceed(request.text, () => ""), (text): { readonly value: unknown } | undefined => {
    if (text.trim() === "") return { value: undefined }
    try {
      return { value: JSON.parse(text) }
    } catch {
      return undefined
    }
  })

/** Every invalid field of a request to an endpoint with these schemas; `params` are its path's. */
export const violations = (
  schemas: Schemas,
  request: HttpServerRequest.HttpServerRequest,
  params: Readonly<Record<string, string | undefined>>
): Effect.Effect<ReadonlyArray<Validation.Violation>> =>
  Effect.gen(function*() {
    const found: Array<Validation.Violation> = []
    if (schemas.path !== undefined) found.push(...violationsOf(schemas.path, params, everyIssue, "path"))
    const url = new URL(request.url, "http://localhost")
    const query = ServerRequest.searchParamsFromURL(url)
    if (schemas.query !== undefined) {
      found.push(...violationsOf(schemas.query, listsWrapped(query, schemas.query.ast), everyIssue, "query"))
    }
    if (schemas.payload !== undefined) {
      if (!hasBody(request.method)) {
        found.push(...violationsOf(schemas.payload, query, everyIssue, "query"))
      } else {
        const body = yield* bodyOf(request)
        if (body !== undefined) found.push(...violationsOf(schemas.payload, body.value, everyIssueStrict, "body"))
      }
    }
    return found
  })

/** A schema whose decoding refuses unknown members, as HttpApi decodes a request's body with it. */
export const strict = (schema: Schema.Schema.All): Schema.Schema.All =>
  Schema.make(schema.ast).annotations({ parseOptions: strictBody })

const isList = (ast: SchemaAST.AST): boolean =>
  SchemaAST.isTupleType(ast) || (SchemaAST.isUnion(ast) && ast.types.some(isList))

/** The query as HttpApi decodes it: a parameter given once is a list of one where the schema takes a list. */
const listsWrapped = (query: Readonly<Record<string, string | Array<string>>>, ast: SchemaAST.AST) => {
  const encoded = SchemaAST.encodedAST(ast)
  if (!SchemaAST.isTypeLiteral(encoded)) return query
  const out: Record<string, string | Array<string>> = {}
  for (const [key, value] of Object.entries(query)) {
    const signature = encoded.propertySignatures.find(({ name }) => name === key)
    out[key] = typeof value === "string" && signature !== undefined && isList(signature.type) ? [value] : value
  }
  return out
}
