import { assert, describe, it } from "@effect/vitest"
import { UnknownApiError } from "@errata/domain"
import { EmailAlreadyExists, InternalError, NotFound, RateLimitExceeded, ValidationError } from "@errata/domain/Errors"
import { TransportError, UserMessage } from "@errata/client"

describe("UserMessage.userMessage", () => {
  it("uses seed 004's messages", () => {
    assert.strictEqual(UserMessage.userMessage(new EmailAlreadyExists()), "This email address is already registered.")
    assert.strictEqual(UserMessage.userMessage(new RateLimitExceeded()), "Too many requests. Please wait a moment.")
    assert.strictEqual(UserMessage.userMessage(new InternalError()), "An error occurred. Please try again later.")
  })

  it("lists a validation error's field messages, one per line", () => {
    const error = new ValidationError({
      fieldErrors: [{ field: "email", message: "Please enter a valid email address" }, { field: "name", message: "Name is required" }]
    })
    assert.strictEqual(UserMessage.userMessage(error), "Please enter a valid email address\nName is required")
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
