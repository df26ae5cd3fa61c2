/**
 * A fuzzing campaign against the reference service: `pnpm fuzz -- --seed 42 --runs 5000 --minutes 10 --format
 * problem-details`. It starts the service on a new SQLite file on a random loopback port, sends the seed's probes until
 * the count is sent or the time is up, and prints the requests by endpoint and status, then each failure with the
 * command that replays it (`--replay <path>`: the one probe, sent again to a new service and shown with its answer).
 * It exits 1 when something failed.
 */
import { NodeRuntime } from "@effect/platform-node"
import { BuiltinFormats } from "@errata/domain"
import { ErrataConfig, NodeServer } from "@errata/server"
import { Cause, Console, Effect, HashMap, Layer, Logger, LogLevel, Redacted } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as IdentityAdmin from "../src/IdentityAdmin.js"
import * as Fuzz from "./Fuzz.js"
import * as Service from "./Service.js"

const { values } = parseArgs({
  // `pnpm fuzz -- --seed 1` may hand the script its `--` too.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    seed: { type: "string" },
    runs: { type: "string", default: "5000" },
    minutes: { type: "string", default: "10" },
    format: { type: "string", default: "oauth-details" },
    replay: { type: "string" }
  }
})

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const runs = Number(values.runs)
const minutes = Number(values.minutes)
const format = BuiltinFormats.byName[values.format]
if (!Number.isInteger(seed) || !(runs > 0) || !(minutes > 0) || format === undefined) {
  console.error(
    "usage: pnpm fuzz -- [--seed N] [--runs N] [--minutes N] " +
      `[--format ${Object.keys(BuiltinFormats.byName).join("|")}] [--replay PATH]`
  )
  process.exit(2)
}

const client = { clientId: "fuzz-admin", clientSecret: "fuzz-admin-secret-0123456789" }
const webhookSecret = "whsec_fuzz_0123456789abcdef"
const errata: ErrataConfig.Options = { format }

/** What the service logs at ERROR, kept to show beside a failure with the same request id. */
const errors: Array<{ readonly requestId: unknown; readonly text: string }> = []
const keepErrors = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ annotations, cause, logLevel, message }) => {
    if (!LogLevel.greaterThanEqual(logLevel, LogLevel.Error) || errors.length >= 1_000) return
    const fields = Object.fromEntries(HashMap.toEntries(annotations))
    const text = [JSON.stringify(message), Cause.isEmpty(cause) ? "" : Cause.pretty(cause)].filter(Boolean).join("\n")
    errors.push({ requestId: fields.request_id ?? (message as any)?.[0]?.request_id, text })
  })
)

const directory = mkdtempSync(join(tmpdir(), "errata-fuzz-"))

const ServiceLive = Layer.unwrapScoped(Effect.map(Service.exportDestination, (exportUrl) =>
  IdentityAdmin.layer({
    database: { filename: join(directory, "errata.db") },
    bootstrap: { clientId: client.clientId, clientSecret: Redacted.make(client.clientSecret) },
    webhookSecrets: [Redacted.make(webhookSecret)],
    exportUrl,
    errata
  }))).pipe(
  Layer.provideMerge(NodeServer.layerTest().pipe(Layer.provide(ErrataConfig.layer(errata)))),
  Layer.provide(keepErrors)
)

const TargetLive = Service.target({ config: ErrataConfig.resolve(errata), ...client, webhookSecret }).pipe(
  Layer.provide(ServiceLive)
)

const logged = (outcome: Fuzz.Outcome) => {
  const requestId = outcome.answer?.headers["x-request-id"]
  return errors.filter((entry) => requestId !== undefined && entry.requestId === requestId).map((entry) => entry.text)
}

const program = Effect.gen(function*() {
  if (values.replay !== undefined) {
    const outcome = yield* Fuzz.replay(seed, values.replay)
    yield* Console.log(`seed ${seed}, path ${values.replay}, ${format.name}:\n${Fuzz.describe(outcome)}`)
    for (const text of logged(outcome)) yield* Console.log(`logged:\n${text}`)
    if (outcome.problems.length > 0) process.exitCode = 1
    return
  }
  yield* Console.log(`fuzzing the reference service in ${format.name}: seed ${seed}, at most ${runs} requests and ${minutes} minutes`)
  const summary = yield* Fuzz.campaign({
    seed,
    runs,
    timeLimit: `${minutes} minutes`,
    progress: (sent, failures) =>
      sent % 1_000 === 0 ? Console.log(`  ${sent} sent, ${failures} failures`) : Effect.void
  })
  yield* Console.log(Fuzz.report(summary, {
    replay: (found) => `pnpm fuzz -- --format ${format.name} --seed ${found.seed} --replay ${found.path}`,
    logged: (found) => logged(found.outcome)
  }))
  if (summary.failures.length > 0) process.exitCode = 1
}).pipe(
  Effect.provide(TargetLive),
  Effect.ensuring(Effect.sync(() => rmSync(directory, { recursive: true, force: true })))
)

NodeRuntime.runMain(program, { disablePrettyLogger: true })
