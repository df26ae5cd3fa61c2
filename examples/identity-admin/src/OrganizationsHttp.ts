/**
 * The HTTP handlers of the organizations group. Administrators manage organizations and their members; a user reads
 * the organizations they are a member of — asking for another, existing or not, is `access_denied` — and lists only
 * those.
 */
import { Authentication as Contract } from "@errata/domain"
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { MemberList, OrganizationList } from "./Organization.js"
import { Organizations } from "./Organizations.js"

const admin = Authentication.requireRole("admin")

export const OrganizationsHttpLive = ErrataServer.group(AdminApi, "organizations", (handlers) =>
  Effect.gen(function*() {
    const organizations = yield* Organizations
    return handlers
      .handle("create", ({ payload }) => Effect.zipRight(admin, organizations.create(payload.name)))
      .handle("get", ({ path }) =>
        Effect.zipRight(organizations.requireMembership(path.id), organizations.get(path.id)))
      .handle("list", () =>
        Effect.gen(function*() {
          const principal = yield* Contract.CurrentPrincipal
          const visible = principal.roles.includes("admin")
            ? yield* organizations.list()
            : principal.kind === "user"
            ? yield* organizations.list(principal.subject)
            : []
          return new OrganizationList({ organizations: visible })
        }))
      .handle("addMember", ({ path }) => Effect.zipRight(admin, organizations.addMember(path.id, path.userId)))
      .handle("listMembers", ({ path }) =>
        Effect.zipRight(
          organizations.requireMembership(path.id),
          Effect.map(organizations.members(path.id), (members) => new MemberList({ members }))
        ))
      .handle("removeMember", ({ path }) => Effect.zipRight(admin, organizations.removeMember(path.id, path.userId)))
  }))
