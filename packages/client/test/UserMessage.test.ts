import { assert, describe, it } from "@effect/vitest"
import { UnknownApiError } from "@errata/domain"
import {
  EmailAlreadyExists,
  InternalError,
  InvalidPassword,
  NotFound,
  RateLimitExceeded,
  ValidationError
} from "@errata/domain/Errors"
import { TransportError, UserMessage } from "@errata/client"

describe("UserMessage.userMessage", () => {
  it("uses seed 004's messages", () => {
    assert.strictEqual(UserMessage.userMessage(new EmailAlreadyExists()), "This email address is already registered.")
    assert.strictEqual(UserMessage.userMessage(new RateLimitExceeded()), "Too many requests. Please wait a moment.")
    assert.strictEqual(UserMessage.userMessage(new InternalError()), "An error occurred. Please try again later.")
  })

  it("lists a validation error's fields, one per line, each named, in words for people", () => {
    const error = new ValidationError({
      fieldErrors: [
        { field: "email", message: "email must be a valid email address", code: "invalid_email" },
        { field: "name", message: "name is required", code: "required" },
        { field: "address.city", message: "address.city must be at most 20 characters", code: "too_long" },
        { field: "items[0].sku", message: "Choose a product" }
      ]
    })
    assert.strictEqual(
      UserMessage.userMessage(error),
      "Email: please enter a valid email address\nName: this field is required\nAddress city: must be at most 20 characters\nItems 1 sku: Choose a product"
    )
    assert.strictEqual(
      UserMessage.userMessage(new ValidationError({ fieldErrors: [{ field: "name", message: "name is required", code: "required" }] }), {}, {
        required: "please fill this in"
      }),
      "Name: please fill this in"
    )
  })

  it("keeps a class's own default over its field errors, unless overridden", () => {
    const fieldErrors = [{ field: "password", message: "password must be at least 8 characters long", code: "invalid_password" }]
    assert.strictEqual(UserMessage.userMessage(new InvalidPassword({ message: "technical", fieldErrors })), "Please choose a stronger password.")
    assert.strictEqual(UserMessage.userMessage(new InvalidPassword({ fieldErrors }), { InvalidPassword: "Too weak." }), "Too weak.")
  })

  it("ends a server error's message with its request id, to quote to support", () => {
    assert.strictEqual(
      UserMessage.userMessage(new InternalError({ requestId: "req_abc123" })),
      "An error occurred. Please try again later. If you contact support, please quote req_abc123."
    )
    assert.strictEqual(UserMessage.userMessage(new NotFound({ requestId: "req_abc123" })), "We could not find what you were looking for.")
  })

  it("has a default per family, and never shows the server's own wording", () => {
    assert.strictEqual(UserMessage.userMessage(new NotFound({ message: "SELECT failed" })), "We could not find what you were looking for.")
    assert.strictEqual(UserMessage.userMessage(new UnknownApiError.UnknownApiError({ status: 418, message: "teapot" })), "An error occurred. Please try again later.")
    assert.include(
      UserMessage.userMessage(new TransportError.TransportError({ reason: "timeout", message: "t", method: "GET", url: "/" })),
      "could not reach"
    )
  })

  it("takes overrides per tag, as text or as a function of the error", () => {
    const overrides = {
      NotFound: "Nothing here.",
      RateLimitExceeded: (error: any) => `Try again in ${error.retryAfter} seconds.`
    }
    assert.strictEqual(UserMessage.userMessage(new NotFound(), overrides), "Nothing here.")
    assert.strictEqual(UserMessage.userMessage(new RateLimitExceeded({ retryAfter: 30 }), overrides), "Try again in 30 seconds.")
  })
})
