import { HttpApiBuilder } from "@effect/platform"
import { Authentication as Contract } from "@errata/domain"
import { Authentication, ErrataServer, Idempotency, Webhooks } from "@errata/server"
import { Clock, Effect, Layer, Option, Redacted, Ref } from "effect"
import { Note, NotesApi } from "./Notes.js"

// Who the bearer tokens act for: here a fixed table; a real service looks up the token's hash in its database
// (`Authentication.hashSecret`), with the state of whom it acts for, read now.
const tokens: Record<string, { readonly subject: string; readonly scopes: Array<string>; readonly roles: Array<string> }> = {
  tok_ann: { subject: "ann", scopes: ["notes:write"], roles: ["admin"] },
  tok_bob: { subject: "bob", scopes: ["notes:write"], roles: [] },
  tok_eve: { subject: "eve", scopes: [], roles: [] }
}

const lookup = (token: Redacted.Redacted<string>) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const found = tokens[Redacted.value(token)]
    return found === undefined ? Option.none() : Option.some({
      principal: new Contract.Principal({ ...found, kind: "user" }),
      state: "active" as const,
      clientDisabled: false,
      expiresAt: now + 3_600_000,
      revoked: false
    })
  })

export const NotesLive = ErrataServer.group(NotesApi, "notes", (handlers) =>
  Effect.gen(function*() {
    const notes = yield* Ref.make<ReadonlyArray<Note>>([])
    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const { subject } = yield* Contract.CurrentPrincipal
          const note = new Note({ id: `note_${(yield* Ref.get(notes)).length + 1}`, text: payload.text, author: subject })
          yield* Ref.update(notes, (all) => [...all, note])
          return note
        }))
      // Roles are the handler's to check: 403 forbidden.
      .handle("clear", () => Effect.zipRight(Authentication.requireRole("admin"), Ref.set(notes, [])))
  }))

export const HooksLive = ErrataServer.group(NotesApi, "hooks", (handlers) => handlers.handle("billing", () => Effect.void))

export const NotesServerLive = HttpApiBuilder.serve().pipe(
  Layer.provide(ErrataServer.layer(NotesApi).pipe(Layer.provide(Layer.merge(NotesLive, HooksLive)))),
  Layer.provide(Authentication.layer({ realm: "notes", bearer: lookup })),
  Layer.provide(Webhooks.layer({ secrets: [Redacted.make("whsec_billing")] })),
  // Responses to repeated Idempotency-Keys, kept 24 hours; `IdempotencySql` or `IdempotencyRedis` share them.
  Layer.provide(Idempotency.layerMemory())
)
