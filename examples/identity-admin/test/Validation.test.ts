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

describe("Strict text", () => {
  const createUser = (email: string) =>
    asAdmin(json("POST", "/api/admin/users", JSON.stringify({ email, name: "Text", password: "s3cretpass" })))

  it.effect("compares email addresses in Unicode normal form C: a precomposed and a combining é are one address", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* createUser("jos\u00e9@example.com")).status, 201)
      const again = yield* createUser("Jose\u0301@Example.com")
      assert.strictEqual(again.status, 409)
      assert.strictEqual(JSON.parse(again.body).error, "email_already_exists")
    }).pipe(Effect.provide(service())))

  it.effect("refuses addresses with control, format or invisible characters as invalid_email", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* createUser("zw@example.com")).status, 201)
      for (const email of ["z\u200bw@example.com", "a\u0000b@example.com", "\u001b[31mred@example.com", "ab\u2800@example.com", "\u202eab@example.com"]) {
        const answer = yield* createUser(email)
        assert.strictEqual(answer.status, 422, JSON.stringify(email))
        assert.strictEqual(JSON.parse(answer.body).error, "invalid_email", JSON.stringify(email))
        assert.notInclude(answer.body, "\u001b")
      }
    }).pipe(Effect.provide(service())))

  it.effect("refuses a body that is not UTF-8, or a lone surrogate, as invalid_json, and stores nothing", () =>
    Effect.gen(function*() {
      const body = Buffer.concat([Buffer.from("{\"email\":\"bad"), Buffer.from([0xc3, 0x28]), Buffer.from("@example.com\",\"name\":\"B\",\"password\":\"s3cretpass\"}")])
      const notUtf8 = yield* asAdmin(
        HttpClientRequest.post("/api/admin/users").pipe(HttpClientRequest.bodyUint8Array(body, "application/json"))
      )
      assert.strictEqual(notUtf8.status, 400)
      assert.deepInclude(JSON.parse(notUtf8.body), { error: "invalid_json", error_description: "The request body is not valid UTF-8" })
      const lone = yield* asAdmin(json("POST", "/api/admin/users", "{\"email\":\"lone\\ud800@example.com\",\"name\":\"L\",\"password\":\"s3cretpass\"}"))
      assert.strictEqual(lone.status, 400)
      assert.strictEqual(JSON.parse(lone.body).error, "invalid_json")
      const listed = yield* asAdmin(HttpClientRequest.get("/api/admin/users?limit=100"))
      assert.deepStrictEqual(JSON.parse(listed.body).users.filter((user: { email: string }) => /^(bad|lone)/.test(user.email)), [])
    }).pipe(Effect.provide(service())))
})
