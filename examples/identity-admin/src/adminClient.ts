/**
 * An administrator's script against the service: it gets tokens with a client's credentials (renewed before they
 * expire, and when the service says `token_expired`), creates a user — the client sends an `Idempotency-Key`, so a
 * retried create runs once — and prints the users.
 *
 *   set -a; . data/bootstrap-client.env; set +a; npx tsx examples/identity-admin/src/adminClient.ts
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { Credentials, ErrataClient } from "@errata/client"
import { Config, Console, Effect, Redacted } from "effect"
import { AdminApi } from "./Api.js"
import { CreateUser } from "./User.js"

const program = Effect.gen(function*() {
  const baseUrl = yield* Config.string("ERRATA_URL").pipe(Config.withDefault("http://localhost:3000"))
  const credentials = yield* Credentials.make({
    baseUrl,
    grant: {
      type: "client_credentials",
      clientId: yield* Config.string("ERRATA_CLIENT_ID"),
      clientSecret: yield* Config.redacted("ERRATA_CLIENT_SECRET")
    }
  })
  const client = yield* ErrataClient.make(AdminApi, { baseUrl, credentials })

  const created = yield* client.users.create({
    payload: new CreateUser({ email: "ann@example.com", name: "Ann", password: Redacted.make("s3cretpass") })
  }).pipe(
    Effect.as("created ann@example.com"),
    Effect.catchTag("EmailAlreadyExists", () => Effect.succeed("ann@example.com exists already"))
  )
  yield* Console.log(created)
  const page = yield* client.users.list({ urlParams: {} })
  for (const user of page.users) yield* Console.log(`${user.id} ${user.email} ${user.role} ${user.status}`)
})

program.pipe(Effect.provide(FetchHttpClient.layer), NodeRuntime.runMain)
