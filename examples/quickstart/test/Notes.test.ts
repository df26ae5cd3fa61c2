import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { ErrataClient, Webhooks } from "@errata/client"
import { Forbidden, InsufficientScope, InvalidRequest, InvalidSignature, Unauthorized } from "@errata/domain/Errors"
import { ErrataConfig, Testing } from "@errata/server"
import { Effect, Layer, Redacted } from "effect"
import { NewNote, NotesApi } from "../src/Notes.js"
import { NotesServerLive } from "../src/NotesServer.js"

const served = NotesServerLive.pipe(
  Layer.provide(ErrataConfig.layer()),
  Layer.provide(Testing.captureLogs([])),
  Layer.provideMerge(NodeHttpServer.layerTest)
)

const clientOf = (transform: (client: HttpClient.HttpClient) => HttpClient.HttpClient = (client) => client) =>
  ErrataClient.make(NotesApi, { baseUrl: "", retry: false, transformClient: transform })

const as = (token: string) => clientOf(HttpClient.mapRequest(HttpClientRequest.bearerToken(token)))

describe("The README's secured API (src/Notes.ts, src/NotesServer.ts), called by the client", () => {
  it.scoped("answers who may do what with the catalog's errors, each its own class", () =>
    Effect.gen(function*() {
      const note = new NewNote({ text: "hello" })
      const anonymous = yield* Effect.flip((yield* clientOf()).notes.create({ payload: note }))
      assert.instanceOf(anonymous, Unauthorized)
      const scope = yield* Effect.flip((yield* as("tok_eve")).notes.create({ payload: note }))
      assert.instanceOf(scope, InsufficientScope)
      assert.strictEqual((scope as InsufficientScope).requiredScope, "notes:write")
      assert.strictEqual((yield* (yield* as("tok_bob")).notes.create({ payload: note })).author, "bob")
      assert.instanceOf(yield* Effect.flip((yield* as("tok_bob")).notes.clear()), Forbidden)
      yield* (yield* as("tok_ann")).notes.clear()
    }).pipe(Effect.provide(served)))

  it.scoped("requires an Idempotency-Key on a create, and answers a repeat with the first response", () =>
    Effect.gen(function*() {
      const create = HttpClientRequest.post("/notes").pipe(
        HttpClientRequest.bearerToken("tok_bob"),
        HttpClientRequest.bodyUnsafeJson({ text: "once" })
      )
      const without = yield* Testing.send(create)
      assert.strictEqual(without.status, 400)
      assert.strictEqual(JSON.parse(without.body).error, InvalidRequest.metadata.code)
      const keyed = create.pipe(HttpClientRequest.setHeader("idempotency-key", "note-1"))
      const first = yield* Testing.send(keyed)
      const repeat = yield* Testing.send(keyed)
      assert.strictEqual(first.status, 201)
      assert.strictEqual(repeat.body, first.body)
      assert.strictEqual(repeat.headers["idempotent-replayed"], "true")
    }).pipe(Effect.provide(served)))

  it.scoped("takes a webhook signed with the shared secret, and refuses any other", () =>
    Effect.gen(function*() {
      const signed = yield* clientOf(HttpClient.mapRequestEffect((request) => Webhooks.sign(request, Redacted.make("whsec_billing"))))
      yield* signed.hooks.billing({ payload: { event: "invoice.paid" } })
      const forged = yield* clientOf(HttpClient.mapRequestEffect((request) => Webhooks.sign(request, Redacted.make("whsec_guess"))))
      assert.instanceOf(yield* Effect.flip(forged.hooks.billing({ payload: { event: "invoice.paid" } })), InvalidSignature)
    }).pipe(Effect.provide(served)))
})
