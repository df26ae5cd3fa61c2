/**
 * The first start: with no client in the database, the service creates an administrator client, so that a newcomer
 * can get a token at once. Its id and secret come from configuration or, when the secret is not configured, are
 * generated and written to a file that only the service's user can read; the log says where, never what.
 */
import { FileSystem } from "@effect/platform"
import { Authentication } from "@errata/server"
import { Effect, Redacted } from "effect"
import { dirname } from "node:path"
import { allScopes } from "./Client.js"
import { Clients } from "./Clients.js"

export interface Options {
  /** Default `bootstrap-admin`. */
  readonly clientId?: string
  /** Unset: generated, and written to `file` with the id. */
  readonly clientSecret?: Redacted.Redacted<string>
  /** Where a generated secret is written (its directory is created if need be). */
  readonly file: string
}

/** The file's content: shell variable assignments, for `source` or `--env-file`. */
const envFile = (clientId: string, secret: Redacted.Redacted<string>) =>
  `ERRATA_CLIENT_ID=${clientId}\nERRATA_CLIENT_SECRET=${Redacted.value(secret)}\n`

/** Creates the administrator client if there is no client at all; a database that cannot be used is only logged. */
export const run = (options: Options): Effect.Effect<void, never, Clients | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const clients = yield* Clients
    if ((yield* clients.count) > 0) return
    const clientId = options.clientId ?? "bootstrap-admin"
    const secret = options.clientSecret ?? Authentication.newSecret("cs_")
    yield* clients.create({ id: clientId, secret, name: "Bootstrap administrator", scopes: allScopes, roles: ["admin"] })
    if (options.clientSecret !== undefined) {
      return yield* Effect.logInfo({ message: "bootstrap admin client created from configuration", client_id: clientId })
    }
    const fs = yield* FileSystem.FileSystem
    yield* fs.makeDirectory(dirname(options.file), { recursive: true })
    // Removed first: a file that exists keeps its permissions when it is written again.
    yield* fs.remove(options.file, { force: true })
    yield* fs.writeFileString(options.file, envFile(clientId, secret), { mode: 0o600, flag: "wx" })
    yield* Effect.logInfo({ message: "bootstrap admin client created; its id and secret are in a file", path: options.file })
  }).pipe(
    Effect.catchAllCause((cause) => Effect.logError("bootstrap admin client not created", cause))
  )
