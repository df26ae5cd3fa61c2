import { assert, describe, it } from "@effect/vitest"
import { Catalog, CatalogError, GoogleRpc, UnknownApiError, WireFormat } from "@errata/domain"
import {
  EmailAlreadyExists,
  FlowInactive,
  InsufficientScope,
  RateLimitExceeded,
  UserNotFound,
  ValidationFailed
} from "@errata/domain/Errors"
import { Schema } from "effect"

const format = GoogleRpc.format

describe("GoogleRpc", () => {
  it("writes AIP-193's envelope with typed details", () => {
    const response = format.encode(
      new RateLimitExceeded({ message: "Slow down", retryAfter: 30, requestId: "req_g1" })
    )
    assert.strictEqual(response.status, 429)
    assert.deepStrictEqual(JSON.parse(response.body), {
      error: {
        code: 429,
        message: "Slow down",
        status: "RESOURCE_EXHAUSTED",
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMIT_EXCEEDED", domain: "errata", metadata: {} },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "30s" },
          { "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId: "req_g1" },
          {
            "@type": "type.googleapis.com/google.rpc.Help",
            links: [{ description: "Rate limit exceeded", url: "/errors/rate_limit_exceeded" }]
          }
        ]
      }
    })
  })

  it("puts field errors in BadRequest.fieldViolations and own fields in ErrorInfo.metadata, as strings", () => {
    const validation = JSON.parse(format.encode(
      new ValidationFailed({ fieldErrors: [{ field: "email", message: "email must be a string", code: "invalid_type" }] })
    ).body)
    assert.deepStrictEqual(validation.error.details[1], {
      "@type": "type.googleapis.com/google.rpc.BadRequest",
      fieldViolations: [{ field: "email", description: "email must be a string", reason: "INVALID_TYPE" }]
    })
    assert.strictEqual(validation.error.status, "INVALID_ARGUMENT")
    const notFound = JSON.parse(format.encode(new UserNotFound({ userId: "usr_1" })).body)
    assert.deepStrictEqual(notFound.error.details[0].metadata, { user_id: "usr_1" })
    assert.strictEqual(notFound.error.status, "NOT_FOUND")
  })

  it("names the google.rpc.Code of each status, refined by what the error is about", () => {
    const status = (error: CatalogError.CatalogError) => JSON.parse(format.encode(error).body).error.status
    assert.strictEqual(status(new FlowInactive()), "FAILED_PRECONDITION")
    assert.strictEqual(status(new EmailAlreadyExists()), "ALREADY_EXISTS")
    assert.strictEqual(status(new InsufficientScope({ requiredScope: "users:write" })), "PERMISSION_DENIED")
  })

  it("carries a user's own typed fields through metadata strings and back", () => {
    class PlanLimitReached extends CatalogError.Class<PlanLimitReached>()("PlanLimitReached", {
      code: "plan_limit_reached",
      status: 403,
      category: "authorization",
      description: "d",
      resolution: "r",
      fields: { limit: Schema.Int, plans: Schema.Array(Schema.String) }
    }) {}
    const withPlans = WireFormat.withCatalog(format, Catalog.make(PlanLimitReached))
    const response = withPlans.encode(new PlanLimitReached({ limit: 3, plans: ["pro"] }))
    assert.deepStrictEqual(JSON.parse(response.body).error.details[0].metadata, { limit: "3", plans: "[\"pro\"]" })
    const decoded = withPlans.decode(response)
    assert.instanceOf(decoded, PlanLimitReached)
    assert.strictEqual(decoded.limit, 3)
    assert.deepStrictEqual(decoded.plans, ["pro"])
  })

  it("decodes a real Google response with a reason the catalog does not know as UnknownApiError, with status and reason", () => {
    // The example response of AIP-193.
    const body = JSON.stringify({
      error: {
        code: 429,
        message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'pubsub.googleapis.com'",
        status: "RESOURCE_EXHAUSTED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "RATE_LIMIT_EXCEEDED_FOR_PROJECT",
            domain: "googleapis.com",
            metadata: { service: "pubsub.googleapis.com", consumer: "projects/123" }
          },
          {
            "@type": "type.googleapis.com/google.rpc.Help",
            links: [{ description: "Request a higher quota limit.", url: "https://cloud.google.com/docs/quotas" }]
          }
        ]
      }
    })
    const decoded = format.decode({ status: 429, headers: { "retry-after": "12" }, body })
    assert.instanceOf(decoded, UnknownApiError.UnknownApiError)
    assert.strictEqual(decoded.status, 429)
    assert.strictEqual(decoded.code, "RATE_LIMIT_EXCEEDED_FOR_PROJECT")
    assert.include(decoded.message, "Quota exceeded")
    assert.strictEqual(decoded.retryAfter, 12)
  })

  it("maps by reason only within its own domain, and answers a bare status as UnknownApiError with its name", () => {
    const bare = format.decode({ status: 404, body: JSON.stringify({ error: { code: 404, message: "m", status: "NOT_FOUND" } }) })
    assert.instanceOf(bare, UnknownApiError.UnknownApiError)
    assert.strictEqual(bare.code, "NOT_FOUND")
    const ours = JSON.parse(format.encode(new UserNotFound({ userId: "u1" })).body)
    const theirs = structuredClone(ours)
    theirs.error.details[0].domain = "googleapis.com"
    assert.instanceOf(format.decode({ status: 404, body: JSON.stringify(ours) }), UserNotFound)
    const foreign = format.decode({ status: 404, body: JSON.stringify(theirs) })
    assert.instanceOf(foreign, UnknownApiError.UnknownApiError)
    assert.strictEqual(foreign.code, "USER_NOT_FOUND")
  })

  it("is told from seed 003's nested-error by its numeric code", () => {
    const detecting = WireFormat.detect([WireFormat.NestedError, format])
    const nested = WireFormat.NestedError.encode(new UserNotFound({ userId: "u1" }))
    const google = format.encode(new UserNotFound({ userId: "u1", requestId: "req_9" }))
    const fromNested = detecting.decode(nested)
    const fromGoogle = detecting.decode(google)
    assert.instanceOf(fromNested, UserNotFound)
    assert.instanceOf(fromGoogle, UserNotFound)
    assert.strictEqual(fromGoogle.requestId, "req_9")
    assert.isFalse(format.envelope.recognizes(JSON.parse(nested.body), "application/json"))
    assert.isFalse(WireFormat.NestedError.envelope.recognizes(JSON.parse(google.body), "application/json"))
  })

  it("takes another domain, and another mapping of status names", () => {
    const billing = WireFormat.make(GoogleRpc.envelope({ domain: "billing.example.com", status: () => "ABORTED" }))
    const body = JSON.parse(billing.encode(new UserNotFound()).body)
    assert.strictEqual(body.error.details[0].domain, "billing.example.com")
    assert.strictEqual(body.error.status, "ABORTED")
    assert.instanceOf(billing.decode(billing.encode(new UserNotFound())), UserNotFound)
    assert.instanceOf(format.decode(billing.encode(new UserNotFound())), UnknownApiError.UnknownApiError)
  })
})
