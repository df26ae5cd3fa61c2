import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, Catalog, CatalogError, ErrataApi, WireFormat } from "@errata/domain"
import { Conflict, NotFound } from "@errata/domain/Errors"
import { Schema } from "effect"

class PlanLimitReached extends CatalogError.Class<PlanLimitReached>()("PlanLimitReached", {
  code: "plan_limit_reached",
  status: 403,
  category: "authorization",
  description: "The plan does not allow more of this resource",
  resolution: "Upgrade the plan",
  fields: { limit: Schema.Int }
}) {}

class ProjectsGroup extends HttpApiGroup.make("projects")
  .add(HttpApiEndpoint.post("create", "/projects").addSuccess(Schema.String).addError(PlanLimitReached, { status: 403 }))
  .add(HttpApiEndpoint.get("get", "/projects/:id").addSuccess(Schema.String).addError(NotFound))
  .addError(Conflict)
{}

class Api extends ErrataApi.make("projects-service").add(ProjectsGroup) {}

const codes = (classes: ReadonlyArray<CatalogError.AnyClass>) => classes.map((cls) => cls.metadata.code).sort()

describe("ErrataApi.frameworkErrors", () => {
  it("derives the framework's errors from the formats in use, each with when it applies", () => {
    assert.deepStrictEqual(
      ErrataApi.frameworkErrors([WireFormat.OAuthStyle]).map(({ error, occasion }) => [error.metadata.code, occasion]),
      [
        ["validation_failed", "input"],
        ["bad_request", "body"],
        ["payload_too_large", "any"],
        ["unsupported_media_type", "body"],
        ["invalid_request", "idempotent"],
        ["conflict", "idempotent"],
        ["unprocessable_entity", "idempotent"],
        ["rate_limit_exceeded", "rate_limit"],
        ["internal_error", "any"],
        ["timeout", "any"]
      ]
    )
    assert.deepStrictEqual(codes(ErrataApi.frameworkErrors(BuiltinFormats.all).map(({ error }) => error)), [
      "bad_request",
      "conflict",
      "internal_error",
      "invalid_json",
      "invalid_request",
      "payload_too_large",
      "rate_limit_exceeded",
      "timeout",
      "unprocessable_entity",
      "unsupported_media_type",
      "validation_error",
      "validation_failed"
    ])
  })
})

describe("ErrataApi.make and Catalog.fromApi", () => {
  it("declares the framework's errors for every endpoint, beside the endpoint's and group's own", () => {
    const declared = Catalog.declaredBy(Api)
    const framework = codes(ErrataApi.frameworkErrors().map(({ error }) => error))
    // The group's own `conflict` is also the framework's (a reused Idempotency-Key): one class, listed once.
    assert.include(framework, "conflict")
    assert.deepStrictEqual(codes(declared.get("projects.create")!), [...framework, "plan_limit_reached"].sort())
    assert.deepStrictEqual(codes(declared.get("projects.get")!), [...framework, "not_found"].sort())
  })

  it("finds a user's own class, even annotated, so that a catalog built from the API decodes it", () => {
    const catalog = Catalog.fromApi(Api)
    assert.strictEqual(catalog.byCode("plan_limit_reached"), PlanLimitReached)
    const format = WireFormat.withCatalog(WireFormat.ProblemDetails, catalog)
    assert.instanceOf(format.decode(format.encode(new PlanLimitReached({ limit: 3 }))), PlanLimitReached)
  })
})
