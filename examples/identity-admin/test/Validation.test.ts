/**
 * What people read of a refused request, in every wire format, over real HTTP: one answer listing every invalid
 * field with its code where the format has a slot for it, messages that name the field and never quote the value,
 * unknown members refused, and the client's sentence for end users from the decoded answer.
 */
import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats, CatalogError, WireFormat } from "@errata/domain"
import { InvalidPassword } from "@errata/domain/Errors"
import { UserMessage } from "@errata/client"
import { Testing } from "@errata/server"
import { Effect } from "effect"
import { json } from "./fixtures/Http.js"
import { adminToken, service, withToken } from "./fixtures/Service.js"

const decoder = WireFormat.detect(BuiltinFormats.all)

const asAdmin = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(adminToken(), (token) => Testing.send(request.pipe(withToken(token))))

/** Sends the request and decodes its answer as a client would. */
const refused = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.map(asAdmin(request), (answer) => ({ answer, error: decoder.decode(answer) }))

describe("Validation errors, as people read them", () => {
  for (const format of BuiltinFormats.all) {
    const carriesCodes = format.envelope.carries.fieldErrorCodes !== false
    it.effect(`lists a bad email and a missing name in one answer, in ${format.name}`, () =>
      Effect.gen(function*() {
        const { answer, error } = yield* refused(
          json("POST", "/api/admin/users", JSON.stringify({ email: "hunter2", password: "s3cretpass" }))
        )
        assert.strictEqual((error as CatalogError.CatalogError)._tag, format.envelope.validationError.metadata.tag)
        assert.strictEqual(answer.status, CatalogError.metadataOf(error as CatalogError.CatalogError).status)
        const { fieldErrors, message } = error as CatalogError.CatalogError
        assert.strictEqual(message, "2 fields are invalid: email, name")
        assert.deepStrictEqual(fieldErrors, [
          { field: "email", message: "email must be a valid email address", ...(carriesCodes ? { code: "invalid_email" } : {}) },
          { field: "name", message: "name is required", ...(carriesCodes ? { code: "required" } : {}) }
        ])
        assert.notInclude(answer.body, "hunter2")
        // Without the codes, the lines keep the server's words after the field's name.
        assert.strictEqual(
          UserMessage.userMessage(error as CatalogError.CatalogError),
          carriesCodes
            ? "Email: please enter a valid email address\nName: this field is required"
            : "Email: must be a valid email address\nName: is required"
        )
      }).pipe(Effect.provide(service({ errata: { format, alternatives: [] } }))))

    it.effect(`refuses unknown members and reports path and query fields too, in ${format.name}`, () =>
      Effect.gen(function*() {
        const unknown = yield* refused(
          json("POST", "/api/admin/users", JSON.stringify({ email: "a@b.co", name: "A", password: "s3cretpass", role: "admin", admin: true }))
        )
        assert.deepStrictEqual(
          (unknown.error as CatalogError.CatalogError).fieldErrors?.map(({ field }) => field),
          ["admin"]
        )
        const query = yield* refused(HttpClientRequest.get("/api/admin/users?limit=9x<script>&offset=-1"))
        assert.deepStrictEqual((query.error as CatalogError.CatalogError).fieldErrors?.map(({ field, message }) => ({ field, message })), [
          { field: "limit", message: "limit must be a number" },
          { field: "offset", message: "offset must be at least 0" }
        ])
        assert.notInclude(query.answer.body, "9x")
        assert.notInclude(query.answer.body, "<script")
        const path = yield* refused(HttpClientRequest.get(`/api/admin/users/${"x".repeat(70)}`))
        assert.deepStrictEqual((path.error as CatalogError.CatalogError).fieldErrors?.map(({ field, message }) => ({ field, message })), [
          { field: "id", message: "id must be at most 64 characters" }
        ])
      }).pipe(Effect.provide(service({ errata: { format, alternatives: [] } }))))

    it.effect(`answers a weak password alone with invalid_password, whose sentence is the class's own, in ${format.name}`, () =>
      Effect.gen(function*() {
        const { error } = yield* refused(
          json("POST", "/api/admin/users", JSON.stringify({ email: "pw@example.com", name: "P", password: "short" }))
        )
        assert.instanceOf(error, InvalidPassword)
        assert.strictEqual(UserMessage.userMessage(error as InvalidPassword), "Please choose a stronger password.")
      }).pipe(Effect.provide(service({ errata: { format, alternatives: [] } }))))
  }
})
