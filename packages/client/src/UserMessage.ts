/**
 * Messages for end users (seed 004's "User Feedback"): a sentence per error that a person can act on, never the
 * server's internal wording. Each class has a default; callers override per tag. A validation error without a
 * default of its own lists its fields, one per line, each named ("Email: please enter a valid email address"). A
 * server error (5xx) ends with its request id, to quote to support (seeds 003 and 004).
 *
 * @since 0.1.0
 */
import { CatalogError, UnknownApiError } from "@errata/domain"
import { TransportError } from "./TransportError.js"

/**
 * Messages of one's own, by tag: a sentence, or a function of the error.
 *
 * @since 0.1.0
 * @category models
 */
export type Overrides = Readonly<Record<string, string | ((error: CatalogError.CatalogError) => string)>>

/**
 * Words of one's own for field errors, by field error code (`required`, `invalid_email`, …).
 *
 * @since 0.1.0
 * @category models
 */
export type FieldMessages = Readonly<Record<string, string>>

const generic = "An error occurred. Please try again later."

/** Words for the field error codes a person may not read as written; the others keep the server's. */
const byFieldCode: FieldMessages = {
  required: "this field is required",
  unknown_field: "this field is not accepted",
  invalid_type: "please check this value",
  invalid_email: "please enter a valid email address",
  invalid_password: "please choose a stronger password"
}

/** Seed 004's messages, and one per family for the rest. */
const byTag: Readonly<Record<string, string>> = {
  EmailAlreadyExists: "This email address is already registered.",
  RateLimitExceeded: "Too many requests. Please wait a moment.",
  InvalidEmail: "Please enter a valid email address.",
  InvalidPassword: "Please choose a stronger password.",
  TokenExpired: "Your session has expired. Please sign in again.",
  SessionExpired: "Your session has expired. Please sign in again.",
  InvalidCredentials: "The username or password is incorrect."
}

const byCategory: Readonly<Record<string, string>> = {
  authentication: "Please sign in to continue.",
  authorization: "You do not have permission to do this.",
  not_found: "We could not find what you were looking for.",
  conflict: "This conflicts with something that already exists.",
  state: "This is not possible in the current state.",
  validation: "Please check what you entered and try again.",
  job: "The job could not be completed. Please try again later.",
  rate_limit: "Too many requests. Please wait a moment.",
  protocol: generic,
  system: generic
}

/**
 * A sentence for end users about a failed call.
 *
 * @since 0.1.0
 * @category messages
 */
export const userMessage = (
  error: CatalogError.CatalogError | UnknownApiError.UnknownApiError | TransportError,
  overrides: Overrides = {},
  fieldMessages: FieldMessages = {}
): string => {
  if (error instanceof TransportError) return "We could not reach the service. Please check your connection and try again."
  if (error instanceof UnknownApiError.UnknownApiError || !CatalogError.is(error)) return generic
  const override = overrides[error._tag]
  if (override !== undefined) return typeof override === "function" ? override(error) : override
  const { category, status } = CatalogError.metadataOf(error)
  const own = byTag[error._tag]
  const message = own === undefined && category === "validation" && error.fieldErrors !== undefined && error.fieldErrors.length > 0
    ? error.fieldErrors.map((fieldError) => fieldLine(fieldError, fieldMessages)).join("\n")
    : own ?? byCategory[category] ?? generic
  return status >= 500 && error.requestId !== undefined
    ? `${message} If you contact support, please quote ${error.requestId}.`
    : message
}

/** A field's name for people: `address.city` → "Address city", `items[2].sku` → "Items 3 sku". */
const label = (field: string) => {
  const words = field.replace(/\[(\d+)\]/g, (_, index: string) => ` ${Number(index) + 1} `).replace(/[._-]+/g, " ").trim()
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/\s+/g, " ")
}

/** One line per field: its name, then what is wrong, without the name the server's message starts with. */
const fieldLine = (fieldError: CatalogError.FieldError, fieldMessages: FieldMessages) => {
  const { code, field, message } = fieldError
  const words = (code !== undefined ? fieldMessages[code] ?? byFieldCode[code] : undefined) ??
    (message.startsWith(`${field} `) ? message.slice(field.length + 1) : message)
  return `${label(field)}: ${words}`
}
