/**
 * Organizations' roles, policies and role assignments over real HTTP, with the real client: role names unique per
 * organization (as written), policies attached to roles, and roles assigned only to members of their organization.
 */
import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import {
  AccessDenied,
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
import { Testing } from "@errata/server"
import { Effect } from "effect"
import type { OrganizationId } from "../src/Organization.js"
import type { PolicyId } from "../src/Policy.js"
import type { RoleId } from "../src/Role.js"
import type { UserId } from "../src/User.js"
import { json } from "./fixtures/Http.js"
import { recording, refused } from "./fixtures/Recording.js"
import { adminToken, createUser, service, userTokens, withToken } from "./fixtures/Service.js"

const unknownOrganization = `org_${"0".repeat(32)}` as OrganizationId
const unknownRole = `role_${"0".repeat(32)}` as RoleId
const unknownPolicy = `pol_${"0".repeat(32)}` as PolicyId

const asAdmin = Effect.flatMap(adminToken(), recording)

/** A new member user, and the real client with their token. */
const user = (email: string) =>
  Effect.gen(function*() {
    const created = yield* createUser({ email, password: "s3cretpass" })
    const { access_token } = yield* userTokens(email, "s3cretpass")
    return { id: created.id as UserId, ...(yield* recording(access_token)) }
  })

describe("Roles", () => {
  it.effect("belong to an organization, each name unique there as written; an unknown one is role_not_found", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      const globex = yield* client.organizations.create({ payload: { name: "Globex" } })
      const editor = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "Editor" } })
      assert.strictEqual(status(), 201)
      assert.match(editor.id, /^role_[0-9a-f]{32}$/)
      assert.deepInclude(editor, { organizationId: acme.id, name: "Editor", policyIds: [] })
      const duplicate = yield* refused(
        client.roles.create({ path: { id: acme.id }, payload: { name: "Editor" } }),
        DuplicateName,
        status
      )
      assert.strictEqual(duplicate.message, "The organization already has a role with this name")
      const lower = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "editor" } })
      // Another organization may have a role of the same name.
      const elsewhere = yield* client.roles.create({ path: { id: globex.id }, payload: { name: "Editor" } })
      assert.strictEqual(elsewhere.organizationId, globex.id)

      assert.deepStrictEqual(yield* client.roles.get({ path: { id: editor.id } }), editor)
      const { roles } = yield* client.roles.list({ path: { id: acme.id } })
      assert.deepStrictEqual(roles.map((role) => role.id).sort(), [editor.id, lower.id].sort())

      yield* refused(
        client.roles.create({ path: { id: unknownOrganization }, payload: { name: "Editor" } }),
        OrganizationNotFound,
        status
      )
      yield* refused(client.roles.list({ path: { id: unknownOrganization } }), OrganizationNotFound, status)
      yield* refused(client.roles.get({ path: { id: unknownRole } }), RoleNotFound, status)
    }).pipe(Effect.provide(service())))

  it.effect("carry policies: created with unique names, attached and detached; an unknown one is policy_not_found", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      const editor = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "Editor" } })
      const invoices = yield* client.policies.create({
        payload: { name: "Invoices", permissions: ["invoices:read", "invoices:write", "invoices:read"] }
      })
      assert.strictEqual(status(), 201)
      assert.match(invoices.id, /^pol_[0-9a-f]{32}$/)
      assert.deepStrictEqual(invoices.permissions, ["invoices:read", "invoices:write"])
      yield* refused(
        client.policies.create({ payload: { name: "Invoices", permissions: ["x:y"] } }),
        DuplicateName,
        status
      )
      const lower = yield* client.policies.create({ payload: { name: "invoices", permissions: ["invoices:read"] } })
      assert.deepStrictEqual(yield* client.policies.get({ path: { id: invoices.id } }), invoices)
      const { policies } = yield* client.policies.list()
      assert.deepStrictEqual(policies.map((p) => p.id).sort(), [invoices.id, lower.id].sort())
      yield* refused(client.policies.get({ path: { id: unknownPolicy } }), PolicyNotFound, status)

      const attached = yield* client.roles.attachPolicy({ path: { id: editor.id, policyId: invoices.id } })
      assert.deepStrictEqual(attached.policyIds, [invoices.id])
      // Attaching it again changes nothing.
      const again = yield* client.roles.attachPolicy({ path: { id: editor.id, policyId: invoices.id } })
      assert.deepStrictEqual(again, attached)
      assert.deepStrictEqual((yield* client.roles.get({ path: { id: editor.id } })).policyIds, [invoices.id])
      yield* refused(
        client.roles.attachPolicy({ path: { id: editor.id, policyId: unknownPolicy } }),
        PolicyNotFound,
        status
      )
      yield* refused(
        client.roles.attachPolicy({ path: { id: unknownRole, policyId: invoices.id } }),
        RoleNotFound,
        status
      )

      const detached = yield* client.roles.detachPolicy({ path: { id: editor.id, policyId: invoices.id } })
      assert.deepStrictEqual(detached.policyIds, [])
      const notAttached = yield* refused(
        client.roles.detachPolicy({ path: { id: editor.id, policyId: invoices.id } }),
        ResourceNotFound,
        status
      )
      assert.strictEqual(notAttached.message, "The policy is not attached to this role")
      yield* refused(
        client.roles.detachPolicy({ path: { id: unknownRole, policyId: invoices.id } }),
        RoleNotFound,
        status
      )

      // A permission is checked by the schema: the framework's validation error.
      const invalid = yield* Testing.send(
        json("POST", "/api/admin/policies", JSON.stringify({ name: "Bad", permissions: ["has space"] })).pipe(
          withToken(yield* adminToken())
        )
      )
      assert.strictEqual(invalid.status, 422)
      assert.strictEqual(JSON.parse(invalid.body).error, "validation_error")
    }).pipe(Effect.provide(service())))

  it.effect("are assigned to members of their organization: once (role_already_assigned), never across organizations (unprocessable_entity)", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      const globex = yield* client.organizations.create({ payload: { name: "Globex" } })
      const editor = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "Editor" } })
      const viewer = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "Viewer" } })
      const foreign = yield* client.roles.create({ path: { id: globex.id }, payload: { name: "Editor" } })
      const invoices = yield* client.policies.create({
        payload: { name: "Invoices", permissions: ["invoices:read", "invoices:write"] }
      })
      const reports = yield* client.policies.create({
        payload: { name: "Reports", permissions: ["reports:read", "invoices:read"] }
      })
      yield* client.roles.attachPolicy({ path: { id: editor.id, policyId: invoices.id } })
      yield* client.roles.attachPolicy({ path: { id: viewer.id, policyId: reports.id } })
      const ann = yield* user("ann@example.com")
      yield* client.organizations.addMember({ path: { id: acme.id, userId: ann.id } })

      const assigned = yield* client.roles.assign({ path: { id: ann.id }, payload: { roleId: editor.id } })
      assert.strictEqual(status(), 201)
      assert.deepInclude(assigned, { userId: ann.id, roleId: editor.id, organizationId: acme.id, roleName: "Editor" })
      const again = yield* refused(
        client.roles.assign({ path: { id: ann.id }, payload: { roleId: editor.id } }),
        RoleAlreadyAssigned,
        status
      )
      assert.strictEqual(again.message, "The user already has this role")
      const across = yield* refused(
        client.roles.assign({ path: { id: ann.id }, payload: { roleId: foreign.id } }),
        UnprocessableEntity,
        status
      )
      assert.strictEqual(
        across.message,
        "The role belongs to an organization the user is not a member of; add the user to it first"
      )
      yield* refused(
        client.roles.assign({ path: { id: ann.id }, payload: { roleId: unknownRole } }),
        RoleNotFound,
        status
      )
      yield* refused(
        client.roles.assign({ path: { id: "usr_nobody" as UserId }, payload: { roleId: editor.id } }),
        UserNotFound,
        status
      )
      yield* client.roles.assign({ path: { id: ann.id }, payload: { roleId: viewer.id } })

      const listed = yield* client.roles.listAssignments({ path: { id: ann.id } })
      assert.deepStrictEqual(listed.assignments.map((a) => a.roleName).sort(), ["Editor", "Viewer"])
      assert.deepStrictEqual(listed.permissions, ["invoices:read", "invoices:write", "reports:read"])
      // A user reads their own roles, and no one else's.
      assert.deepStrictEqual(yield* ann.client.roles.listAssignments({ path: { id: ann.id } }), listed)
      const bob = yield* user("bob@example.com")
      yield* refused(bob.client.roles.listAssignments({ path: { id: ann.id } }), AccessDenied, bob.status)
      yield* refused(
        bob.client.roles.assign({ path: { id: bob.id }, payload: { roleId: editor.id } }),
        Forbidden,
        bob.status
      )
      yield* refused(client.roles.listAssignments({ path: { id: "usr_nobody" as UserId } }), UserNotFound, status)

      yield* client.roles.unassign({ path: { id: ann.id, roleId: viewer.id } })
      assert.strictEqual(status(), 204)
      const notAssigned = yield* refused(
        client.roles.unassign({ path: { id: ann.id, roleId: viewer.id } }),
        ResourceNotFound,
        status
      )
      assert.strictEqual(notAssigned.message, "The user does not have this role")
      yield* refused(client.roles.unassign({ path: { id: ann.id, roleId: unknownRole } }), RoleNotFound, status)
      yield* refused(
        client.roles.unassign({ path: { id: "usr_nobody" as UserId, roleId: editor.id } }),
        UserNotFound,
        status
      )
      const remaining = yield* client.roles.listAssignments({ path: { id: ann.id } })
      assert.deepStrictEqual(remaining.permissions, ["invoices:read", "invoices:write"])

      // Taken out of the organization, the user loses its roles.
      yield* client.organizations.removeMember({ path: { id: acme.id, userId: ann.id } })
      const left = yield* client.roles.listAssignments({ path: { id: ann.id } })
      assert.deepStrictEqual([left.assignments, left.permissions], [[], []])
    }).pipe(Effect.provide(service())))

  it.effect("are read by members of their organization; anyone else gets access_denied, and only administrators manage them", () =>
    Effect.gen(function*() {
      const { client } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      const globex = yield* client.organizations.create({ payload: { name: "Globex" } })
      const editor = yield* client.roles.create({ path: { id: acme.id }, payload: { name: "Editor" } })
      const foreign = yield* client.roles.create({ path: { id: globex.id }, payload: { name: "Editor" } })
      const mia = yield* user("mia@example.com")
      yield* client.organizations.addMember({ path: { id: acme.id, userId: mia.id } })

      assert.deepStrictEqual((yield* mia.client.roles.list({ path: { id: acme.id } })).roles, [editor])
      assert.deepStrictEqual(yield* mia.client.roles.get({ path: { id: editor.id } }), editor)
      yield* refused(mia.client.roles.list({ path: { id: globex.id } }), AccessDenied, mia.status)
      yield* refused(mia.client.roles.get({ path: { id: foreign.id } }), AccessDenied, mia.status)
      yield* refused(
        mia.client.roles.create({ path: { id: acme.id }, payload: { name: "Mine" } }),
        Forbidden,
        mia.status
      )
      yield* refused(mia.client.policies.list(), Forbidden, mia.status)
      yield* refused(
        mia.client.policies.create({ payload: { name: "Mine", permissions: ["all:*"] } }),
        Forbidden,
        mia.status
      )
    }).pipe(Effect.provide(service())))

  it.effect("answer an id of another kind with the framework's validation error", () =>
    Effect.gen(function*() {
      const answer = yield* Testing.send(
        json("POST", "/api/admin/users/usr_1/roles", JSON.stringify({ role_id: "org_123" })).pipe(
          withToken(yield* adminToken())
        )
      )
      assert.strictEqual(answer.status, 422)
      assert.deepInclude(JSON.parse(answer.body), {
        error: "validation_error",
        details: { role_id: "role_id must be a role id: role_ and 32 hexadecimal digits" }
      })
      const path = yield* Testing.send(
        HttpClientRequest.get("/api/admin/roles/pol_123").pipe(withToken(yield* adminToken()))
      )
      assert.strictEqual(path.status, 422)
    }).pipe(Effect.provide(service())))
})
