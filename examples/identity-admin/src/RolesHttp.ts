/**
 * The HTTP handlers of the roles group. Administrators create roles, attach policies and assign roles; a member of
 * an organization reads its roles, and a user reads their own assignments.
 */
import { Authentication, ErrataServer } from "@errata/server"
import { Effect } from "effect"
import { AdminApi } from "./Api.js"
import { Organizations } from "./Organizations.js"
import { RoleList } from "./Role.js"
import { Roles } from "./Roles.js"

const admin = Authentication.requireRole("admin")

export const RolesHttpLive = ErrataServer.group(AdminApi, "roles", (handlers) =>
  Effect.gen(function*() {
    const roles = yield* Roles
    const organizations = yield* Organizations
    return handlers
      .handle("create", ({ path, payload }) => Effect.zipRight(admin, roles.create(path.id, payload.name)))
      .handle("list", ({ path }) =>
        Effect.zipRight(
          organizations.requireMembership(path.id),
          Effect.map(roles.list(path.id), (list) => new RoleList({ roles: list }))
        ))
      .handle("get", ({ path }) =>
        Effect.gen(function*() {
          // Only administrators learn that a role does not exist; to anyone else it is as closed as another's.
          const role = yield* roles.get(path.id).pipe(
            Effect.catchTag("RoleNotFound", (notFound) =>
              Effect.zipRight(Authentication.requireAccess((principal) => principal.roles.includes("admin")), Effect.fail(notFound)))
          )
          yield* organizations.requireMembership(role.organizationId)
          return role
        }))
      .handle("attachPolicy", ({ path }) => Effect.zipRight(admin, roles.attachPolicy(path.id, path.policyId)))
      .handle("detachPolicy", ({ path }) => Effect.zipRight(admin, roles.detachPolicy(path.id, path.policyId)))
      .handle("assign", ({ path, payload }) => Effect.zipRight(admin, roles.assign(path.id, payload.roleId)))
      .handle("listAssignments", ({ path }) =>
        Effect.zipRight(
          Authentication.requireAccess((principal) =>
            principal.roles.includes("admin") || (principal.kind === "user" && principal.subject === path.id)
          ),
          roles.assignments(path.id)
        ))
      .handle("unassign", ({ path }) => Effect.zipRight(admin, roles.unassign(path.id, path.roleId)))
  }))
