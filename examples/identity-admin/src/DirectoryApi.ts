/**
 * The directory part of the identity-admin contract (`Api.ts` adds it to `AdminApi`): organizations and their
 * members, the organizations' roles and the policies attached to them, and the roles assigned to users.
 *
 * Administrators manage all of it. A user who is a member of an organization may read it, its members and its
 * roles; anyone else gets `access_denied` for them. Scopes: `organizations:read`/`organizations:write` for
 * organizations and members, `roles:read`/`roles:write` for roles, policies and assignments.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Authentication } from "@errata/domain"
import {
  AccessDenied,
  DatabaseError,
  DuplicateName,
  Forbidden,
  OrganizationNotFound,
  PolicyNotFound,
  RoleAlreadyAssigned,
  ResourceNotFound,
  RoleNotFound,
  UnprocessableEntity,
  UserNotFound
} from "@errata/domain/Errors"
import { Schema } from "effect"
import {
  CreateOrganization,
  Member,
  MemberList,
  Organization,
  OrganizationId,
  OrganizationList
} from "./Organization.js"
import { CreatePolicy, Policy, PolicyId, PolicyList } from "./Policy.js"
import { AssignRole, CreateRole, Role, RoleAssignment, RoleAssignmentList, RoleId, RoleList } from "./Role.js"
import { UserId } from "./User.js"

const organizationPath = HttpApiSchema.param("id", OrganizationId)
const userPath = HttpApiSchema.param("id", UserId)
const memberPath = HttpApiSchema.param("userId", UserId)
const rolePath = HttpApiSchema.param("id", RoleId)
const assignedRolePath = HttpApiSchema.param("roleId", RoleId)
const policyPath = HttpApiSchema.param("id", PolicyId)
const attachedPolicyPath = HttpApiSchema.param("policyId", PolicyId)

const readOrganizations = Authentication.scopes("organizations:read")
const writeOrganizations = Authentication.scopes("organizations:write")
const readRoles = Authentication.scopes("roles:read")
const writeRoles = Authentication.scopes("roles:write")

/** Organizations, each name unique as written, and their members. */
export class OrganizationsApi extends HttpApiGroup.make("organizations")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/organizations")
      .setPayload(CreateOrganization)
      .addSuccess(Organization, { status: 201 })
      .addError(DuplicateName)
      .addError(Forbidden)
      .annotateContext(writeOrganizations)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/organizations/${organizationPath}`
      .addSuccess(Organization)
      .addError(OrganizationNotFound)
      .addError(AccessDenied)
      .annotateContext(readOrganizations)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/organizations")
      .addSuccess(OrganizationList)
      .annotateContext(readOrganizations)
  )
  .add(
    HttpApiEndpoint.put("addMember")`/api/admin/organizations/${organizationPath}/members/${memberPath}`
      .addSuccess(Member)
      .addError(OrganizationNotFound)
      .addError(UserNotFound)
      .addError(Forbidden)
      .annotateContext(writeOrganizations)
  )
  .add(
    HttpApiEndpoint.get("listMembers")`/api/admin/organizations/${organizationPath}/members`
      .addSuccess(MemberList)
      .addError(OrganizationNotFound)
      .addError(AccessDenied)
      .annotateContext(readOrganizations)
  )
  .add(
    HttpApiEndpoint.del("removeMember")`/api/admin/organizations/${organizationPath}/members/${memberPath}`
      .addSuccess(Schema.Void)
      .addError(OrganizationNotFound)
      .addError(UserNotFound)
      .addError(ResourceNotFound)
      .addError(Forbidden)
      .annotateContext(writeOrganizations)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}

/** The roles of organizations, the policies attached to them, and the roles assigned to users. */
export class RolesApi extends HttpApiGroup.make("roles")
  .add(
    HttpApiEndpoint.post("create")`/api/admin/organizations/${organizationPath}/roles`
      .setPayload(CreateRole)
      .addSuccess(Role, { status: 201 })
      .addError(OrganizationNotFound)
      .addError(DuplicateName)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .add(
    HttpApiEndpoint.get("list")`/api/admin/organizations/${organizationPath}/roles`
      .addSuccess(RoleList)
      .addError(OrganizationNotFound)
      .addError(AccessDenied)
      .annotateContext(readRoles)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/roles/${rolePath}`
      .addSuccess(Role)
      .addError(RoleNotFound)
      .addError(AccessDenied)
      .annotateContext(readRoles)
  )
  .add(
    HttpApiEndpoint.put("attachPolicy")`/api/admin/roles/${rolePath}/policies/${attachedPolicyPath}`
      .addSuccess(Role)
      .addError(RoleNotFound)
      .addError(PolicyNotFound)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .add(
    HttpApiEndpoint.del("detachPolicy")`/api/admin/roles/${rolePath}/policies/${attachedPolicyPath}`
      .addSuccess(Role)
      .addError(RoleNotFound)
      .addError(PolicyNotFound)
      .addError(ResourceNotFound)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .add(
    HttpApiEndpoint.post("assign")`/api/admin/users/${userPath}/roles`
      .setPayload(AssignRole)
      .addSuccess(RoleAssignment, { status: 201 })
      .addError(UserNotFound)
      .addError(RoleNotFound)
      .addError(RoleAlreadyAssigned)
      .addError(UnprocessableEntity)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .add(
    HttpApiEndpoint.get("listAssignments")`/api/admin/users/${userPath}/roles`
      .addSuccess(RoleAssignmentList)
      .addError(UserNotFound)
      .addError(AccessDenied)
      .annotateContext(readRoles)
  )
  .add(
    HttpApiEndpoint.del("unassign")`/api/admin/users/${userPath}/roles/${assignedRolePath}`
      .addSuccess(Schema.Void)
      .addError(UserNotFound)
      .addError(RoleNotFound)
      .addError(ResourceNotFound)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}

/** Policies: named sets of permissions, each name unique as written; administrators only. */
export class PoliciesApi extends HttpApiGroup.make("policies")
  .add(
    HttpApiEndpoint.post("create", "/api/admin/policies")
      .setPayload(CreatePolicy)
      .addSuccess(Policy, { status: 201 })
      .addError(DuplicateName)
      .addError(Forbidden)
      .annotateContext(writeRoles)
  )
  .add(
    HttpApiEndpoint.get("get")`/api/admin/policies/${policyPath}`
      .addSuccess(Policy)
      .addError(PolicyNotFound)
      .addError(Forbidden)
      .annotateContext(readRoles)
  )
  .add(
    HttpApiEndpoint.get("list", "/api/admin/policies")
      .addSuccess(PolicyList)
      .addError(Forbidden)
      .annotateContext(readRoles)
  )
  .addError(DatabaseError)
  .middleware(Authentication.Authentication)
{}
