/**
 * Organizations over real HTTP, with the real client: names unique as written, members, and who may see an
 * organization — its members and administrators; anyone else is told `access_denied`.
 */
import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { AccessDenied, DuplicateName, Forbidden, OrganizationNotFound, ResourceNotFound, UserNotFound } from "@errata/domain/Errors"
import { Testing } from "@errata/server"
import { Effect } from "effect"
import type { OrganizationId } from "../src/Organization.js"
import type { UserId } from "../src/User.js"
import { json } from "./fixtures/Http.js"
import { recording, refused } from "./fixtures/Recording.js"
import { adminToken, createUser, service, userTokens, withToken } from "./fixtures/Service.js"

const unknownOrganization = `org_${"0".repeat(32)}` as OrganizationId

const asAdmin = Effect.flatMap(adminToken(), recording)

/** A new member user, and the real client with their token. */
const member = (email: string) =>
  Effect.gen(function*() {
    const user = yield* createUser({ email, password: "s3cretpass" })
    const { access_token } = yield* userTokens(email, "s3cretpass")
    return { id: user.id as UserId, ...(yield* recording(access_token)) }
  })

describe("Organizations", () => {
  it.effect("are created, read and listed; a name is unique as written: Acme and acme are two, Acme twice is duplicate_name", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      assert.strictEqual(status(), 201)
      assert.match(acme.id, /^org_[0-9a-f]{32}$/)
      assert.strictEqual(acme.name, "Acme")
      const lower = yield* client.organizations.create({ payload: { name: "acme" } })
      assert.strictEqual(lower.name, "acme")
      assert.notStrictEqual(lower.id, acme.id)
      const duplicate = yield* refused(
        client.organizations.create({ payload: { name: "Acme" } }),
        DuplicateName,
        status
      )
      assert.strictEqual(duplicate.message, "An organization with this name already exists")
      // The name is trimmed before it is compared (the client would not send it untrimmed).
      const spaced = yield* Testing.send(
        json("POST", "/api/admin/organizations", "{\"name\":\"  Acme \"}").pipe(withToken(yield* adminToken()))
      )
      assert.strictEqual(spaced.status, 409)
      assert.strictEqual(JSON.parse(spaced.body).error, "duplicate_name")

      assert.deepStrictEqual(yield* client.organizations.get({ path: { id: acme.id } }), acme)
      assert.strictEqual(status(), 200)
      const listed = yield* client.organizations.list()
      assert.deepStrictEqual(listed.organizations.map((organization) => organization.name).sort(), ["Acme", "acme"])
      yield* refused(client.organizations.get({ path: { id: unknownOrganization } }), OrganizationNotFound, status)
    }).pipe(Effect.provide(service())))

  it.effect("add, list and remove members; an unknown user is user_not_found, an unknown organization organization_not_found", () =>
    Effect.gen(function*() {
      const { client, status } = yield* asAdmin
      const acme = yield* client.organizations.create({ payload: { name: "Acme" } })
      const ann = yield* createUser({ email: "ann@example.com", password: "s3cretpass" })
      const bob = yield* createUser({ email: "bob@example.com", password: "s3cretpass" })
      const added = yield* client.organizations.addMember({ path: { id: acme.id, userId: ann.id as UserId } })
      assert.strictEqual(status(), 200)
      assert.deepInclude(added, { organizationId: acme.id, userId: ann.id as UserId, email: "ann@example.com" })
      // Adding a member again changes nothing.
      const again = yield* client.organizations.addMember({ path: { id: acme.id, userId: ann.id as UserId } })
      assert.deepStrictEqual(again, added)
      yield* client.organizations.addMember({ path: { id: acme.id, userId: bob.id as UserId } })
      const { members } = yield* client.organizations.listMembers({ path: { id: acme.id } })
      assert.deepStrictEqual(members.map((m) => m.email).sort(), ["ann@example.com", "bob@example.com"])

      yield* client.organizations.removeMember({ path: { id: acme.id, userId: bob.id as UserId } })
      assert.strictEqual(status(), 204)
      assert.deepStrictEqual(
        (yield* client.organizations.listMembers({ path: { id: acme.id } })).members.map((m) => m.userId),
        [ann.id]
      )
      const notMember = yield* refused(
        client.organizations.removeMember({ path: { id: acme.id, userId: bob.id as UserId } }),
        ResourceNotFound,
        status
      )
      assert.strictEqual(notMember.message, "The user is not a member of this organization")

      const nobody = "usr_nobody" as UserId
      const unknown = yield* refused(
        client.organizations.addMember({ path: { id: acme.id, userId: nobody } }),
        UserNotFound,
        status
      )
      assert.strictEqual(unknown.userId, nobody)
      yield* refused(
        client.organizations.addMember({ path: { id: unknownOrganization, userId: ann.id as UserId } }),
        OrganizationNotFound,
        status
      )
      yield* refused(
        client.organizations.listMembers({ path: { id: unknownOrganization } }),
        OrganizationNotFound,
        status
      )
      yield* refused(
        client.organizations.removeMember({ path: { id: unknownOrganization, userId: ann.id as UserId } }),
        OrganizationNotFound,
        status
      )

      // A user deleted is a member no more.
      yield* client.users.delete({ path: { id: ann.id as UserId } })
      assert.deepStrictEqual((yield* client.organizations.listMembers({ path: { id: acme.id } })).members, [])
    }).pipe(Effect.provide(service())))

  it.effect("are seen by their members and by administrators; anyone else gets access_denied, and only administrators manage them", () =>
    Effect.gen(function*() {
      const admin = yield* asAdmin
      const acme = yield* admin.client.organizations.create({ payload: { name: "Acme" } })
      const other = yield* admin.client.organizations.create({ payload: { name: "Globex" } })
      const mia = yield* member("mia@example.com")
      yield* admin.client.organizations.addMember({ path: { id: acme.id, userId: mia.id } })

      assert.deepStrictEqual(yield* mia.client.organizations.get({ path: { id: acme.id } }), acme)
      const { members } = yield* mia.client.organizations.listMembers({ path: { id: acme.id } })
      assert.deepStrictEqual(members.map((m) => m.userId), [mia.id])
      const denied = yield* refused(mia.client.organizations.get({ path: { id: other.id } }), AccessDenied, mia.status)
      assert.strictEqual(denied.message, "Access denied for this resource")
      yield* refused(mia.client.organizations.listMembers({ path: { id: other.id } }), AccessDenied, mia.status)
      // Whether an organization exists is told only to those who may see it.
      yield* refused(mia.client.organizations.get({ path: { id: unknownOrganization } }), AccessDenied, mia.status)
      assert.deepStrictEqual((yield* mia.client.organizations.list()).organizations, [acme])
      assert.deepStrictEqual(
        (yield* admin.client.organizations.list()).organizations.map((organization) => organization.id).sort(),
        [acme.id, other.id].sort()
      )

      yield* refused(mia.client.organizations.create({ payload: { name: "Mine" } }), Forbidden, mia.status)
      yield* refused(
        mia.client.organizations.addMember({ path: { id: other.id, userId: mia.id } }),
        Forbidden,
        mia.status
      )
      yield* refused(
        mia.client.organizations.removeMember({ path: { id: acme.id, userId: mia.id } }),
        Forbidden,
        mia.status
      )

      // Taken out of the organization, the user may no longer see it.
      yield* admin.client.organizations.removeMember({ path: { id: acme.id, userId: mia.id } })
      yield* refused(mia.client.organizations.get({ path: { id: acme.id } }), AccessDenied, mia.status)
      assert.deepStrictEqual((yield* mia.client.organizations.list()).organizations, [])
    }).pipe(Effect.provide(service())))

  it.effect("answer an id that is not an organization's with the framework's validation error", () =>
    Effect.gen(function*() {
      const answer = yield* Testing.send(
        HttpClientRequest.get("/api/admin/organizations/usr_123").pipe(withToken(yield* adminToken()))
      )
      assert.strictEqual(answer.status, 422)
      assert.deepInclude(JSON.parse(answer.body), {
        error: "validation_error",
        details: { id: "id must be an organization id: org_ and 32 hexadecimal digits" }
      })
    }).pipe(Effect.provide(service())))
})
