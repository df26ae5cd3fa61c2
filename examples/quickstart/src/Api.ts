import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { CatalogError, ErrataApi } from "@errata/domain"
import { Schema } from "effect"

// An error of your own, documented like the catalog's: status, code, retry class and documentation on the class.
export class PlanLimitReached extends CatalogError.Class<PlanLimitReached>()("PlanLimitReached", {
  code: "plan_limit_reached",
  status: 403,
  category: "authorization",
  description: "The plan does not allow more of this resource",
  resolution: "Upgrade the plan or delete unused resources",
  fields: { limit: Schema.Int }
}) {}

export class Project extends Schema.Class<Project>("Project")({
  id: Schema.String,
  name: Schema.String
}) {}

export class ProjectsGroup extends HttpApiGroup.make("projects").add(
  HttpApiEndpoint.post("create", "/projects")
    .setPayload(Schema.Struct({ name: Schema.NonEmptyTrimmedString }))
    .addSuccess(Project, { status: 201 })
    .addError(PlanLimitReached)
) {}

// ErrataApi.make declares the errors the framework answers with (invalid input, rate limiting, timeouts, …).
export class Api extends ErrataApi.make("projects").add(ProjectsGroup) {}
