/**
 * Messages for end users (seed 004's "User Feedback"): a sentence per error that a person can act on, never the
 * server's internal wording. Each class has a default; callers override per tag. Validation errors list their
 * field messages, one per line.
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

const generic = "An error occurred. Please try again later."

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
  overrides: Overrides = {}
): string => {
  if (error instanceof TransportError) return "We could not reach the service. Please check your connection and try again."
  if (error instanceof UnknownApiError.UnknownApiError || !CatalogError.is(error)) return generic
  const override = overrides[error._tag]
  if (override !== undefined) return typeof override === "function" ? override(error) : override
  if (error.fieldErrors !== undefined && error.fieldErrors.length > 0 && CatalogError.metadataOf(error).category === "validation") {
    return error.fieldErrors.map((fieldError) => fieldError.message).join("\n")
  }
  return byTag[error._tag] ?? byCategory[CatalogError.metadataOf(error).category] ?? generic
}
