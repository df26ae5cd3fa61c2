import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Authentication, ErrataApi, Idempotency, Webhook } from "@errata/domain"
import { Forbidden } from "@errata/domain/Errors"
import { Schema } from "effect"

export class Note extends Schema.Class<Note>("Note")({ id: Schema.String, text: Schema.String, author: Schema.String }) {}

export class NewNote extends Schema.Class<NewNote>("NewNote")({ text: Schema.String.pipe(Schema.minLength(1)) }) {}

// Every endpoint of the group needs a caller (a bearer token); each names the scopes it needs, which the OpenAPI
// document shows and the server checks (403 insufficient_scope). A create must carry an Idempotency-Key.
export class NotesGroup extends HttpApiGroup.make("notes")
  .add(
    HttpApiEndpoint.post("create", "/notes")
      .setPayload(NewNote)
      .addSuccess(Note, { status: 201 })
      .annotateContext(Authentication.scopes("notes:write"))
      .annotateContext(Idempotency.required)
  )
  .add(
    HttpApiEndpoint.del("clear", "/notes")
      .addError(Forbidden)
      .annotateContext(Authentication.scopes("notes:write"))
  )
  .middleware(Authentication.Authentication)
{}

// A webhook is signed instead: its raw body is checked against Webhook-Signature before it is parsed.
export class HooksGroup extends HttpApiGroup.make("hooks")
  .add(
    HttpApiEndpoint.post("billing", "/hooks/billing")
      .setPayload(Schema.Struct({ event: Schema.String }))
      .middleware(Webhook.Signature)
  )
{}

export class NotesApi extends ErrataApi.make("notes").add(NotesGroup).add(HooksGroup) {}
