/**
 * An answer held to the service's OpenAPI document, as a caller reads the document: the operation that serves the
 * request's method and path, the response it documents for the status, under the answer's content type, with a schema
 * (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it) the body matches — or no content, for an answer without a body.
 */
import * as Testing from "@errata/domain/Testing"

/** An OpenAPI document, as JSON. */
export type Document = Record<string, any>

/** An answer, and the request it answered. */
export interface Answered {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly request: { readonly method: string; readonly url: string }
}

export type Verdict =
  /** The request is none of the document's operations (a route beside the API, a method the path does not have). */
  | { readonly _tag: "NoOperation" }
  | { readonly _tag: "Conforms"; readonly template: string }
  | { readonly _tag: "Differs"; readonly template: string; readonly problem: string }

const templateMatches = (template: string, path: string) => {
  const expected = template.split("/")
  const actual = path.split("/")
  return expected.length === actual.length &&
    expected.every((segment, i) => /^\{[^}]+\}$/.test(segment) ? actual[i] !== "" : segment === actual[i])
}

/**
 * The operation of the document that serves `method` on the path of `url`, with its path template; a template with
 * fewer parameters wins (`/jobs/exports` before `/jobs/{id}`). `undefined` for a route the document does not have.
 */
export const operationOf = (
  document: Document,
  method: string,
  url: string
): { readonly template: string; readonly operation: Record<string, any> } | undefined => {
  const path = new URL(url, "http://localhost").pathname
  const parameters = (template: string) => template.split("{").length
  const templates = Object.keys(document.paths ?? {})
    .filter((template) => templateMatches(template, path))
    .sort((a, b) => parameters(a) - parameters(b))
  for (const template of templates) {
    const operation = document.paths[template][method.toLowerCase()]
    if (operation !== undefined) return { template, operation }
  }
  return undefined
}

/** Each schema with the document's components beside it, one object per schema: ajv compiles an object once. */
const standalone = new WeakMap<object, Record<string, unknown>>()

/** Throws unless `value` matches `schema`, a schema of the document (its `$ref`s resolve in the document). */
export const checkSchema = (document: Document, schema: Record<string, unknown>, value: unknown, what: string) => {
  let whole = standalone.get(schema)
  if (whole === undefined) {
    whole = { ...schema, components: { schemas: document.components?.schemas ?? {} } }
    standalone.set(schema, whole)
  }
  Testing.checkJsonSchema(whole, value, what)
}

/** How the answer compares with what the document says of the request's operation. */
export const verdict = (document: Document, answered: Answered): Verdict => {
  const found = operationOf(document, answered.request.method, answered.request.url)
  if (found === undefined) return { _tag: "NoOperation" }
  const { operation, template } = found
  const where = `${answered.request.method} ${template} ${answered.status}`
  const differs = (problem: string): Verdict => ({ _tag: "Differs", template, problem: `${where}: ${problem}` })
  const response = operation.responses?.[String(answered.status)]
  if (response === undefined) return differs("the status is not documented")
  if (response.content === undefined) {
    return answered.body === "" ? { _tag: "Conforms", template } : differs("a body where the document has none")
  }
  const contentType = (answered.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase()
  const media = response.content[contentType]
  if (media === undefined) {
    return differs(`no ${contentType || "content type"} documented (only ${Object.keys(response.content).join(", ")})`)
  }
  let body: unknown
  try {
    body = JSON.parse(answered.body)
  } catch {
    return differs(`the ${contentType} body is not JSON`)
  }
  try {
    checkSchema(document, media.schema, body, `${where} ${contentType} body`)
  } catch (error) {
    return differs(error instanceof Error ? error.message : String(error))
  }
  return { _tag: "Conforms", template }
}
