/**
 * The organizations resource of the identity-admin API: an organization, its members (users of the service), and
 * the payloads that create one. An organization's name is unique as written: "Acme" and "acme" are two names.
 */
import { Validation } from "@errata/domain"
import { Schema } from "effect"
import { DisplayName, UserId } from "./User.js"

export const OrganizationId = Schema.String.pipe(
  Schema.pattern(/^org_[0-9a-f]{32}$/),
  Validation.rule({ message: "must be an organization id: org_ and 32 hexadecimal digits" }),
  Schema.brand("OrganizationId"),
  Schema.annotations({ description: "An organization's id" })
)

export type OrganizationId = typeof OrganizationId.Type

/** A name of an organization, role, policy or flow, unique as written. */
export const ResourceName = DisplayName

export class Organization extends Schema.Class<Organization>("Organization")({
  id: OrganizationId,
  name: Schema.String,
  createdAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_at"))
}) {}

export class OrganizationList extends Schema.Class<OrganizationList>("OrganizationList")({
  organizations: Schema.Array(Organization)
}) {}

export class CreateOrganization extends Schema.Class<CreateOrganization>("CreateOrganization")(
  Schema.Struct({ name: ResourceName })
) {}

/** A user as a member of an organization. */
export class Member extends Schema.Class<Member>("Member")({
  organizationId: Schema.propertySignature(OrganizationId).pipe(Schema.fromKey("organization_id")),
  userId: Schema.propertySignature(UserId).pipe(Schema.fromKey("user_id")),
  email: Schema.String,
  name: Schema.String,
  addedAt: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("added_at"))
}) {}

export class MemberList extends Schema.Class<MemberList>("MemberList")({ members: Schema.Array(Member) }) {}
