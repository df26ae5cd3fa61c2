/**
 * The authentication flows part of the identity-admin contract (`Api.ts` adds it to `AdminApi`): create, read,
 * activate, deactivate and run flows; administrators only, with the scopes `flows:read` and `flows:write`.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Authentication } from "@errata/domain"
import { DatabaseError, DuplicateName, FlowInactive, FlowNotFound, Forbidden } from "@errata/domain/Errors"
import { CreateFlow, ExecuteFlow, Flow, FlowId, FlowList, FlowResult } from "./Flow.js"

const idPath = HttpApiSchema.param("id", FlowId)
const read = Authentication.scopes("flows:read")
const write = Authentication.scopes("flows:write")

export class FlowsApi extends HttpApiGroup.make("flows")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/flows")
      .setPayload(CreateFlow)
      .addSuccess(Flow, { status: 201 })
      .addError(DuplicateName)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/flows/${idPath}`
      .addSuccess(Flow)
      .addError(FlowNotFound)
      .addError(Forbidden)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/flows")
      .addSuccess(FlowList)
      .addError(Forbidden)
      .annotateContext(read)
  )
  .add(
    HttpApiEndpoint.post("activate")`/api/admin/flows/${idPath}/activate`
      .addSuccess(Flow)
      .addError(FlowNotFound)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.post("deactivate")`/api/admin/flows/${idPath}/deactivate`
      .addSuccess(Flow)
      .addError(FlowNotFound)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .add(
    HttpApiEndpoint.post("execute")`/api/admin/flows/${idPath}/execute`
      .setPayload(ExecuteFlow)
      .addSuccess(FlowResult)
      .addError(FlowNotFound)
      .addError(FlowInactive)
      .addError(Forbidden)
      .annotateContext(write)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}
