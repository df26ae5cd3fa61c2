/**
 * JSON Schemas written for people. Effect's built-in schemas describe themselves to developers: a filter's title is
 * its call (`maxLength(64)`, `int`), the descriptions of filters and built-in transformations are lower-case phrases
 * (`a string at most 64 character(s) long`, `a string that will be trimmed`, `a string to be decoded into a number`)
 * and a declaration's is a type expression (`Redacted(<redacted>)`). The constraint itself is a keyword beside them
 * (`maxLength: 64`). A schema's author writes titles and sentences that start with a capital letter: those are kept,
 * Effect's are dropped, and where Effect's phrase is the only statement of a format, the `format` keyword says it.
 */
import { Predicate } from "effect"

/** Effect's own wording: lower case first, or a type expression such as `Redacted(<redacted>)`, `Option<string>`. */
const isEffects = (text: string) => /^[a-z]/.test(text) || /^[A-Z][\w.]*[<(]/.test(text)

/** The built-in transformations whose encoded side has a JSON Schema format. */
const formats: Readonly<Record<string, string>> = {
  "a string to be decoded into a DateTime.Utc": "date-time",
  "a string to be decoded into a Date": "date-time",
  "a string to be decoded into a URL": "uri"
}

/** Members whose values are data, not schemas. */
const data = new Set(["const", "enum", "examples", "example", "default"])

/** A JSON Schema without Effect's titles and descriptions, in it or in the schemas it holds (a copy). */
export const readable = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(readable)
  if (!Predicate.isRecord(schema)) return schema
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(schema)) {
    if ((key === "title" || key === "description") && typeof member === "string" && isEffects(member)) {
      const format = formats[member]
      if (format !== undefined && schema.type === "string" && schema.format === undefined) out.format = format
    } else out[key] = data.has(key) ? member : readable(member)
  }
  return out
}

/** Whether a description is in Effect's words (a parameter's copy of its schema's). */
export const isEffectsDescription = (description: unknown): boolean =>
  typeof description === "string" && isEffects(description)
