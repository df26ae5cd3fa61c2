import { HttpApiSchema } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Catalog, CatalogError, Errors, FrameworkErrors } from "@errata/domain"
import { EmailAlreadyExists, NotFound, UserNotFound } from "@errata/domain/Errors"
import { Schema } from "effect"

/** The documented errors, by status, as the foundation issue lists them. */
const documented: Record<number, ReadonlyArray<string>> = {
  400: ["bad_request", "validation_failed", "invalid_parameter", "invalid_request", "invalid_json", "flow_inactive", "job_cancelled"],
  401: ["unauthorized_client", "invalid_token", "token_expired", "unauthorized", "invalid_credentials", "session_expired", "invalid_signature", "token_revoked"],
  403: ["forbidden", "access_denied", "csrf_validation_failed", "account_disabled", "insufficient_scope", "user_suspended", "user_locked", "client_disabled"],
  404: ["not_found", "resource_not_found", "user_not_found", "client_not_found", "organization_not_found", "role_not_found", "policy_not_found", "flow_not_found", "job_not_found"],
  409: ["conflict", "duplicate_name", "email_already_exists", "client_id_already_exists", "role_already_assigned"],
  422: ["unprocessable_entity", "validation_error", "invalid_email", "invalid_password", "import_failed"],
  429: ["rate_limit_exceeded"],
  500: ["internal_error", "server_error", "database_error", "job_failed", "export_failed"],
  502: ["bad_gateway"],
  503: ["service_unavailable"],
  504: ["timeout"]
}

const pascal = (code: string) => code.split("_").map((word) => word[0]!.toUpperCase() + word.slice(1)).join("")

/** Seed 002's "Retryable" column. */
const retryOfStatus: Record<number, string> = {
  400: "never",
  401: "after_reauthentication",
  403: "never",
  404: "never",
  409: "never",
  422: "after_fix",
  429: "with_backoff",
  500: "with_caution",
  502: "with_backoff",
  503: "with_backoff",
  504: "with_backoff"
}

describe("Catalog.seed", () => {
  it("holds exactly the documented errors: the 51 of the foundation issue", () => {
    const expected = Object.values(documented).flat().sort()
    assert.strictEqual(expected.length, 51)
    assert.deepStrictEqual(Catalog.seed.errors.map((cls) => cls.metadata.code).sort(), expected)
  })

  it("gives each error its documented status, a PascalCase class exported by name, and its retry class", () => {
    for (const [status, codes] of Object.entries(documented)) {
      for (const code of codes) {
        const cls = Catalog.seed.byCode(code)!
        assert.strictEqual((Errors as Record<string, unknown>)[pascal(code)], cls, code)
        assert.strictEqual(cls.metadata.tag, pascal(code))
        assert.strictEqual(cls.metadata.status, Number(status), code)
        assert.strictEqual(cls.metadata.retry, retryOfStatus[Number(status)], code)
        assert.isAbove(cls.metadata.description.length, 0)
        assert.isAbove(cls.metadata.resolution.length, 0)
      }
    }
  })

  it("annotates each class with its status for HttpApi", () => {
    for (const cls of Catalog.builtin.errors) {
      assert.strictEqual(HttpApiSchema.getStatusError(cls), cls.metadata.status, cls.metadata.tag)
    }
  })

  it("looks codes up after case folding, and tags exactly", () => {
    assert.strictEqual(Catalog.seed.byCode("NOT_FOUND"), NotFound)
    assert.strictEqual(Catalog.seed.byCode("not_found"), NotFound)
    assert.strictEqual(Catalog.seed.byCode("Email_Already_Exists"), EmailAlreadyExists)
    assert.strictEqual(Catalog.seed.byTag("UserNotFound"), UserNotFound)
    assert.isUndefined(Catalog.seed.byCode("no_such_code"))
    assert.isUndefined(Catalog.seed.byCode("__proto__"))
    assert.isUndefined(Catalog.seed.byTag("toString"))
  })
})

describe("Catalog.builtin", () => {
  it("adds the framework's own 405, 408, 413, 415, 417 and 431 errors to the seed errors", () => {
    const framework = Object.values(FrameworkErrors)
    assert.strictEqual(Catalog.builtin.errors.length, Catalog.seed.errors.length + framework.length)
    assert.deepStrictEqual(framework.map((cls) => [cls.metadata.code, cls.metadata.status]), [
      ["method_not_allowed", 405],
      ["request_timeout", 408],
      ["payload_too_large", 413],
      ["unsupported_media_type", 415],
      ["expectation_failed", 417],
      ["request_header_fields_too_large", 431]
    ])
    for (const cls of Catalog.seed.errors) assert.strictEqual(Catalog.builtin.byCode(cls.metadata.code), cls)
  })
})

class PlanLimitReached extends CatalogError.Class<PlanLimitReached>()("PlanLimitReached", {
  code: "plan_limit_reached",
  status: 403,
  category: "authorization",
  description: "The plan does not allow more of this resource",
  resolution: "Upgrade the plan or delete unused resources",
  fields: { limit: Schema.optional(Schema.Int) }
}) {}

describe("CatalogError.Class", () => {
  it("constructs with the description as default message, and without a stack trace by default", () => {
    const error = new UserNotFound({ userId: "u_1" })
    assert.strictEqual(error.message, "User not found")
    assert.strictEqual(error.userId, "u_1")
    assert.strictEqual(error._tag, "UserNotFound")
    assert.isTrue(CatalogError.is(error))
    assert.strictEqual(error.stack, "UserNotFound: User not found")
  })

  it("captures stack traces when asked to", () => {
    CatalogError.setStackTraceCapture(true)
    try {
      const error = new NotFound()
      assert.include(error.stack ?? "", "Catalog.test.ts")
    } finally {
      CatalogError.setStackTraceCapture(false)
    }
  })

  it("validates the common fields", () => {
    assert.throws(() => new NotFound({ requestId: "has spaces" }))
    assert.throws(() => new NotFound({ retryAfter: -1 }))
    assert.throws(() => new NotFound({ fieldErrors: [{ field: "name", message: "m", code: "Not Snake" }] }))
  })

  it("lets a user define errors with the same metadata and add them to a catalog", () => {
    const catalog = Catalog.seed.pipe(Catalog.add(PlanLimitReached))
    assert.strictEqual(catalog.errors.length, Catalog.seed.errors.length + 1)
    assert.strictEqual(catalog.byCode("PLAN_LIMIT_REACHED"), PlanLimitReached)
    assert.strictEqual(PlanLimitReached.metadata.retry, "never")
    assert.strictEqual(PlanLimitReached.metadata.title, "Plan limit reached")
    assert.strictEqual(new PlanLimitReached({ limit: 3 }).limit, 3)
    assert.strictEqual(Catalog.seed.pipe(Catalog.add(NotFound)).errors.length, Catalog.seed.errors.length)
  })

  it("rejects definitions no catalog error could have", () => {
    const define = (code: string, status: number, fields: Schema.Struct.Fields = {}) =>
      CatalogError.Class<any>()("Custom", { code, status, category: "state", description: "d", resolution: "r", fields })
    assert.throws(() => define("Not-Snake", 400), /lower snake case/)
    assert.throws(() => define("fine", 302), /not an error status/)
    assert.throws(() => define("fine", 400, { message: Schema.String }), /reserved/)
    assert.throws(() => define("fine", 400, { x: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("requestId")) }), /reserved/)
  })

  it("rejects a catalog in which two errors share a code", () => {
    class OtherNotFound extends CatalogError.Class<OtherNotFound>()("OtherNotFound", {
      code: "not_found",
      status: 404,
      category: "not_found",
      description: "d",
      resolution: "r"
    }) {}
    assert.throws(() => Catalog.make(NotFound, OtherNotFound), /share the code "not_found"/)
  })

  it("finds the user's own class behind its schema, through annotations and unions", () => {
    assert.strictEqual(CatalogError.classOf(PlanLimitReached.ast), PlanLimitReached)
    assert.strictEqual(CatalogError.classOf(PlanLimitReached.annotations({ description: "x" }).ast), PlanLimitReached)
    assert.deepStrictEqual(
      CatalogError.classesIn(Schema.Union(PlanLimitReached, UserNotFound, Schema.String).ast),
      [PlanLimitReached, UserNotFound]
    )
    assert.isUndefined(CatalogError.classOf(Schema.String.ast))
  })
})
