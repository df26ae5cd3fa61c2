/**
 * The HR system's side of the provisioning webhook: it signs each event with the secret it shares with the service
 * (`Webhook-Signature: t=…,v1=…`, HMAC-SHA256 over `timestamp.body`) and sends it with the service's own client.
 *
 *   ERRATA_WEBHOOK_SECRET=… npx tsx examples/identity-admin/src/hrWebhook.ts user.suspended ann@example.com
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { ErrataClient, Webhooks } from "@errata/client"
import { Config, Console, Effect } from "effect"
import { AdminApi } from "./Api.js"
import { UserCreated, UserStatusChanged } from "./Provisioning.js"

const program = Effect.gen(function*() {
  const baseUrl = yield* Config.string("ERRATA_URL").pipe(Config.withDefault("http://localhost:3000"))
  const secret = yield* Config.redacted("ERRATA_WEBHOOK_SECRET")
  const [type = "user.created", email = "hr@example.com"] = process.argv.slice(2)
  const client = yield* ErrataClient.make(AdminApi, {
    baseUrl,
    transformClient: HttpClient.mapRequestEffect((request) => Webhooks.sign(request, secret))
  })
  const user = yield* (type === "user.created"
    ? client.webhooks.provisioning({ payload: new UserCreated({ type, data: { email, name: email.split("@")[0]! } }) })
    : client.webhooks.provisioning({
      payload: new UserStatusChanged({ type: type as UserStatusChanged["type"], data: { email } })
    }))
  yield* Console.log(`${type}: ${user.id} ${user.email} ${user.status}`)
})

program.pipe(Effect.provide(FetchHttpClient.layer), NodeRuntime.runMain)
