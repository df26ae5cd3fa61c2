/**
 * Every operation of the reference service's OpenAPI document, asked wrongly on purpose, answers as the document
 * says — in every wire format, in the configured format and in RFC 9457 (`Accept: application/problem+json`): without
 * credentials, with a path parameter too long, with a body of the wrong shape, of a content type the operation does
 * not take, or not JSON at all. Each error answer's status must be documented for the operation, under the answer's
 * content type, with a schema its body matches (ajv). `EveryError` does the same for every error the service has,
 * each produced once; this does it for the errors every operation can give.
 */
import { HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { BuiltinFormats } from "@errata/domain"
import { Testing } from "@errata/server"
import { Effect, Layer } from "effect"
import * as OpenApiDocument from "./fixtures/OpenApiDocument.js"
import { adminToken, service } from "./fixtures/Service.js"

/** A request the operation must refuse, and what makes it wrong. */
interface Probe {
  readonly why: string
  readonly request: HttpClientRequest.HttpClientRequest
}

/** The path with each parameter filled in with `value`. */
const fill = (template: string, value: string) => template.replace(/\{[^}]+\}/g, value)

/** The wrong requests an operation can be sent, whatever it does. */
const probes = (template: string, method: string, operation: Record<string, any>, token: string): Array<Probe> => {
  const make = (path: string) => HttpClientRequest.make(method.toUpperCase() as "GET")(path)
  const authorized = (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.bearerToken(request, token)
  const path = fill(template, "nothing_here")
  const found: Array<Probe> = []
  if ((operation.security ?? []).some((requirement: object) => Object.keys(requirement).length > 0)) {
    found.push({ why: "no credentials", request: make(path) })
  }
  if (template.includes("{")) {
    // Longer than an id may be (64).
    found.push({ why: "a path parameter too long", request: authorized(make(fill(template, "x".repeat(65)))) })
  }
  if (operation.requestBody !== undefined) {
    const body = (text: string, contentType: string) =>
      authorized(HttpClientRequest.bodyText(make(path), text, contentType))
    found.push({ why: "a body of the wrong shape", request: body("[]", "application/json") })
    found.push({ why: "a body that is not JSON", request: body("{", "application/json") })
    found.push({ why: "a body of a content type it does not take", request: body("x", "text/plain") })
  }
  return found
}

describe("Every operation of the OpenAPI document, asked wrongly", () => {
  for (const format of BuiltinFormats.all) {
    it.live(`answers as the document says, in ${format.name} and RFC 9457`, () =>
      Effect.gen(function*() {
        const context = yield* Layer.build(service({ errata: { format } }))
        const document = yield* Effect.provide(OpenApiDocument.fetch, context)
        const token = yield* Effect.provide(adminToken(), context)
        let checked = 0
        for (const [template, operations] of Object.entries<any>(document.paths)) {
          for (const [method, operation] of Object.entries<any>(operations)) {
            for (const { request, why } of probes(template, method, operation, token)) {
              for (const accept of [format.contentType, "application/problem+json"]) {
                const sent = HttpClientRequest.setHeader(request, "accept", accept)
                const answer = yield* Effect.provide(Testing.send(sent), context)
                const what = `${method.toUpperCase()} ${template} with ${why}, Accept: ${accept}`
                assert.isAtLeast(answer.status, 400, `${what}: ${answer.status} ${answer.body}`)
                const recorded = { ...answer, request: { method: sent.method, url: sent.url } }
                assert.isTrue(OpenApiDocument.assertConforms(document, recorded, what), `${what}: no operation`)
                checked++
              }
            }
          }
        }
        assert.isAbove(checked, 0)
      }).pipe(Effect.scoped), { timeout: 120_000 })
  }
})
