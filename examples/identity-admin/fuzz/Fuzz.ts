/**
 * The contract fuzzer: requests generated from an `HttpApi`'s schemas (`Probes`), valid and near-valid, sent byte for
 * byte on a new loopback connection to a running server, and every answer held to what any answer must be (`Checks`).
 * `property` checks one probe (for a bounded property test, where fast-check shrinks a failure to its counterexample);
 * `campaign` sends a seeded sequence of them within a count and a time, and gathers what it found; `replay` sends one
 * again by its seed and path, as fast-check and `campaign` report them.
 */
import type { HttpApi, HttpClient } from "@effect/platform"
import { HttpClientRequest, HttpServer } from "@effect/platform"
import type { WireFormat } from "@errata/domain"
import type { ErrataConfig } from "@errata/server"
import { Testing } from "@errata/server"
import { Context, Data, Duration, Effect, FastCheck as fc, Layer } from "effect"
import { connect } from "node:net"
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib"
import * as Checks from "./Checks.js"
import type * as Conformance from "./Conformance.js"
import * as Endpoints from "./Endpoints.js"
import * as Probes from "./Probes.js"

/** Headers that give a request to an endpoint valid credentials: a bearer token, a webhook's signature. */
export type Credentials = (
  endpoint: Endpoints.Endpoint,
  body: Uint8Array | undefined
) => Effect.Effect<ReadonlyArray<readonly [string, string]>>

/** A defect found and not fixed yet: the requests that show it, and why they are excused meanwhile. */
export interface Known {
  readonly reason: string
  readonly matches: (request: Probes.Request) => boolean
}

/** The server under test, and what the fuzzer knows of it. */
export interface TargetShape {
  readonly endpoints: ReadonlyMap<string, Endpoints.Endpoint>
  readonly arbitrary: fc.Arbitrary<Probes.Probe>
  readonly port: number
  readonly checks: Checks.Context
  readonly pool: Probes.Pool
  readonly credentials: Credentials
  /** Run after each answer, to undo what a request changed that would spoil the rest of the run. */
  readonly restore: (endpoint: Endpoints.Endpoint, answer: Checks.Answer) => Effect.Effect<void>
  readonly known: ReadonlyArray<Known>
  readonly timeout: Duration.Duration
}

export class Target extends Context.Tag("fuzz/Target")<Target, TargetShape>() {}

export interface Options {
  readonly api: HttpApi.HttpApi.Any
  /** The server's configuration: the formats it answers in, and how it chooses one. */
  readonly config: ErrataConfig.Resolved
  readonly credentials: Credentials
  readonly restore?: TargetShape["restore"]
  /** Whether the run forces faults: then a 500 of an error the endpoint's handler declares is allowed (it really failed). */
  readonly faults?: boolean
  /** Defects known and open: an answer with problems to a request they match is excused, and counted apart. */
  readonly known?: ReadonlyArray<Known>
  /** Ids the fuzzer must not act on, its own client's among them. */
  readonly protect?: Iterable<string>
  /** How long an answer may take. Default 10 seconds. */
  readonly timeout?: Duration.DurationInput
}

const endpointsOf = new WeakMap<object, ReadonlyArray<Endpoints.Endpoint>>()

const endpoints = (api: HttpApi.HttpApi.Any) => {
  let found = endpointsOf.get(api)
  if (found === undefined) {
    found = Endpoints.fromApi(api)
    endpointsOf.set(api, found)
  }
  return found
}

/** The probes of an API whose server answers in `formats`: the same for the same seed and path. */
export const probes = (api: HttpApi.HttpApi.Any, formats: ReadonlyArray<WireFormat.Any>): fc.Arbitrary<Probes.Probe> =>
  Probes.arbitrary(endpoints(api), formats)

/** The document the server serves at `/openapi.json`. */
const fetchDocument = Effect.gen(function*() {
  const answer = yield* Testing.send(HttpClientRequest.get("/openapi.json"))
  if (answer.status !== 200) return yield* Effect.dieMessage(`GET /openapi.json answered ${answer.status}`)
  return JSON.parse(answer.body) as Conformance.Document
})

/** The server of the context as the target, with its OpenAPI document fetched once. */
export const layer = (
  options: Options
): Layer.Layer<Target, never, HttpServer.HttpServer | HttpClient.HttpClient> =>
  Layer.effect(
    Target,
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const document = yield* Effect.orDie(fetchDocument)
      return {
        endpoints: new Map(endpoints(options.api).map((endpoint) => [endpoint.name, endpoint])),
        arbitrary: probes(options.api, options.config.formats),
        port: (server.address as HttpServer.TcpAddress).port,
        checks: { config: options.config, document, faults: options.faults ?? false },
        pool: Probes.makePool(options.protect),
        credentials: options.credentials,
        restore: options.restore ?? (() => Effect.void),
        known: options.known ?? [],
        timeout: Duration.decode(options.timeout ?? "10 seconds")
      }
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// The wire

const dechunk = (data: Buffer): Buffer | undefined => {
  const parts: Array<Buffer> = []
  let at = 0
  for (;;) {
    const end = data.indexOf("\r\n", at)
    if (end === -1) return undefined
    const size = parseInt(data.subarray(at, end).toString("latin1"), 16)
    if (Number.isNaN(size)) return undefined
    if (size === 0) return Buffer.concat(parts)
    if (data.length < end + 2 + size) return undefined
    parts.push(data.subarray(end + 2, end + 2 + size))
    at = end + 2 + size + 2
  }
}

const decompress = (encoding: string | undefined, body: Buffer): Buffer => {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
      return gunzipSync(body)
    case "br":
      return brotliDecompressSync(body)
    case "deflate":
      return inflateSync(body)
    default:
      return body
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** The final answer in what a connection received, after any interim (1xx) ones; `undefined` if it is not whole. */
export const parse = (data: Buffer, method: string): Checks.Answer | undefined => {
  let rest = data
  for (;;) {
    const end = rest.indexOf("\r\n\r\n")
    if (end === -1) return undefined
    const [statusLine = "", ...lines] = rest.subarray(0, end).toString("latin1").split("\r\n")
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
    if (match === null) return undefined
    const status = Number(match[1])
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(":")
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }
    rest = rest.subarray(end + 4)
    if (status < 200) continue
    let body: Buffer | undefined
    if (method === "HEAD" || status === 204 || status === 304) body = Buffer.alloc(0)
    else if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) body = dechunk(rest)
    else if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"])
      body = rest.length < length ? undefined : rest.subarray(0, length)
    } else body = rest
    if (body === undefined) return undefined
    try {
      body = decompress(headers["content-encoding"], body)
    } catch {
      return { status, headers, body: body.toString("latin1"), utf8: false }
    }
    try {
      return { status, headers, body: utf8.decode(body), utf8: true }
    } catch {
      return { status, headers, body: body.toString("utf8"), utf8: false }
    }
  }
}

/** Sends `request` on a new connection to `port` on the loopback interface, and reads what comes until it closes. */
export const exchange = (
  port: number,
  request: Probes.Request,
  timeout: Duration.Duration
): Effect.Effect<Checks.Answer | undefined> =>
  Effect.async<Buffer>((resume) => {
    const socket = connect(port, "127.0.0.1")
    const received: Array<Buffer> = []
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      socket.destroy()
      resume(Effect.succeed(Buffer.concat(received)))
    }
    const timer = setTimeout(finish, Duration.toMillis(timeout))
    socket.on("data", (chunk: Buffer) => void received.push(chunk))
    // The server may answer and close before it has read the whole request (a body too large): what came counts.
    socket.on("error", finish)
    socket.on("close", finish)
    socket.once("connect", () => socket.write(Probes.bytes(request, `127.0.0.1:${port}`)))
    return Effect.sync(() => {
      finished = true
      clearTimeout(timer)
      socket.destroy()
    })
  }).pipe(Effect.map((data) => parse(data, request.method)))

// ---------------------------------------------------------------------------------------------------------------
// Probes, sent and checked

/** A probe, the request it became, the answer, what is wrong with it, and the known defect that excuses it. */
export interface Outcome {
  readonly probe: Probes.Probe
  readonly request: Probes.Request
  readonly answer: Checks.Answer | undefined
  readonly problems: ReadonlyArray<string>
  readonly excused: string | undefined
}

/** Sends a probe to the target and checks the answer. */
export const run = (probe: Probes.Probe): Effect.Effect<Outcome, never, Target> =>
  Effect.gen(function*() {
    const target = yield* Target
    const meant = probe.endpoint === undefined ? undefined : target.endpoints.get(probe.endpoint)
    const unsigned = Probes.toRequest(probe, meant, target.pool)
    // A mutation may take a probe to another endpoint, or to none: what is checked is what serves the request.
    const endpoint = Endpoints.route(target.endpoints.values(), unsigned.method, unsigned.target)
    const credentialed = endpoint ?? meant
    const credentials = probe.credentials === "valid" && credentialed !== undefined
      ? yield* target.credentials(credentialed, unsigned.body)
      : []
    const request = { ...unsigned, headers: [...credentials, ...unsigned.headers] }
    const answer = yield* exchange(target.port, request, target.timeout)
    if (answer !== undefined && endpoint !== undefined && answer.status < 300) {
      try {
        Probes.harvest(target.pool, JSON.parse(answer.body))
      } catch {
        // An answer without a JSON body gives no ids.
      }
      yield* target.restore(endpoint, answer)
    }
    const problems = Checks.problems(target.checks, endpoint, request, answer)
    const excused = problems.length === 0 ? undefined : target.known.find((known) => known.matches(request))?.reason
    return { probe, request, answer, problems, excused }
  })

const shorten = (text: string, max: number) => text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`

/** An outcome for people: the probe, the request sent, the answer and the problems. */
export const describe = (outcome: Outcome): string => {
  const { answer, probe, request } = outcome
  const answered = answer === undefined
    ? "no complete answer"
    : [
      `${answer.status}`,
      ...Object.entries(answer.headers)
        .filter(([name]) => ["content-type", "x-request-id", "retry-after", "allow", "connection"].includes(name))
        .map(([name, value]) => `${name}: ${value}`),
      "",
      shorten(answer.body, 600)
    ].join("\n")
  return [
    `${probe.endpoint ?? "no endpoint"} — ${probe.mutation}` +
    (probe.credentials === "valid" ? "" : `, ${probe.credentials} credentials`),
    ...outcome.problems.map((problem) => `  ✗ ${problem}`),
    ...(outcome.excused === undefined ? [] : [`  (excused, known and open: ${outcome.excused})`]),
    "request:",
    indent(Probes.show(request)),
    "answer:",
    indent(answered)
  ].join("\n")
}

const indent = (text: string) => text.split("\n").map((line) => `    ${line}`).join("\n")

/** A probe whose answer is not as every answer must be. */
export class Failed extends Data.TaggedError("Failed")<{ readonly outcome: Outcome }> {
  override get message() {
    return describe(this.outcome)
  }
}

/**
 * Sends a probe and fails with what is wrong with its answer, if anything and not excused by a known defect: the body
 * of a property test.
 */
export const property = (probe: Probes.Probe): Effect.Effect<void, Failed, Target> =>
  Effect.flatMap(run(probe), (outcome) =>
    outcome.problems.length === 0 || outcome.excused !== undefined ? Effect.void : Effect.fail(new Failed({ outcome })))

// ---------------------------------------------------------------------------------------------------------------
// Campaigns

/** A failure of a campaign, with what replays its probe. */
export interface Found {
  readonly seed: number
  readonly path: string
  readonly outcome: Outcome
}

export interface Summary {
  readonly seed: number
  readonly sent: number
  readonly elapsed: Duration.Duration
  /** How many answers of each status the probes made for each endpoint got (`no endpoint` for the others). */
  readonly statuses: ReadonlyMap<string, ReadonlyMap<number | "none", number>>
  /** How many failures of each kind (their first problem, without its particulars) there were. */
  readonly kinds: ReadonlyMap<string, number>
  /** The first failures of each kind, up to three. */
  readonly failures: ReadonlyArray<Found>
  /** Failures a known defect excuses, by its reason. */
  readonly excused: ReadonlyMap<string, number>
}

/** How many probes are generated at once: fast-check starts each batch at its path. */
const batch = 100

/**
 * Sends the probes of `seed`, in order, until `runs` are sent or `timeLimit` has passed, and gathers every failure.
 * `progress` is told how many have been sent, now and then.
 */
export const campaign = (options: {
  readonly seed: number
  readonly runs: number
  readonly timeLimit: Duration.DurationInput
  readonly progress?: (sent: number, failures: number) => Effect.Effect<void>
}): Effect.Effect<Summary, never, Target> =>
  Effect.gen(function*() {
    const target = yield* Target
    const started = Date.now()
    const deadline = started + Duration.toMillis(Duration.decode(options.timeLimit))
    const statuses = new Map<string, Map<number | "none", number>>()
    const failures: Array<Found> = []
    const kinds = new Map<string, number>()
    const excused = new Map<string, number>()
    let sent = 0
    while (sent < options.runs && Date.now() < deadline) {
      const generated = fc.sample(target.arbitrary, {
        seed: options.seed,
        path: String(sent),
        numRuns: Math.min(batch, options.runs - sent)
      })
      for (const probe of generated) {
        if (Date.now() >= deadline) break
        const outcome = yield* run(probe)
        const name = probe.endpoint ?? "no endpoint"
        const counts = statuses.get(name) ?? new Map<number | "none", number>()
        const status = outcome.answer?.status ?? "none"
        counts.set(status, (counts.get(status) ?? 0) + 1)
        statuses.set(name, counts)
        if (outcome.excused !== undefined) excused.set(outcome.excused, (excused.get(outcome.excused) ?? 0) + 1)
        else if (outcome.problems.length > 0) {
          const found = { seed: options.seed, path: String(sent), outcome }
          const count = (kinds.get(kindOf(found)) ?? 0) + 1
          kinds.set(kindOf(found), count)
          if (count <= 3) failures.push(found)
        }
        sent++
      }
      if (options.progress !== undefined) yield* options.progress(sent, sum(kinds.values()))
    }
    return { seed: options.seed, sent, elapsed: Duration.millis(Date.now() - started), statuses, kinds, failures, excused }
  })

/** The probe at `path` of `seed` (`17`, or a shrunk one's `17:0:3`), sent again and checked. */
export const replay = (seed: number, path: string): Effect.Effect<Outcome, never, Target> =>
  Effect.flatMap(Target, (target) => run(fc.sample(target.arbitrary, { seed, path, numRuns: 1 })[0]!))

const sum = (counts: Iterable<number>) => Array.from(counts).reduce((total, count) => total + count, 0)

/** A failure's first problem without its particulars, to count failures of one kind together. */
const kindOf = (found: Found) =>
  shorten(
    (found.outcome.problems[0] ?? "").split("\n")[0]!.replace(/"[^"]*"|req_[0-9a-f]+|[A-Za-z0-9._~:-]*caller's.*$/g, "…"),
    160
  )

/**
 * A summary for people: requests by endpoint and status, then each kind of failure with up to three examples, each
 * with the command that replays it (`replay`) and what the server logged of it (`logged`).
 */
export const report = (summary: Summary, options: {
  readonly replay: (found: Found) => string
  readonly logged?: (found: Found) => ReadonlyArray<string>
}): string => {
  const width = Math.max(...Array.from(summary.statuses.keys(), (name) => name.length))
  const rows = Array.from(summary.statuses).sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) =>
    `  ${name.padEnd(width)}  ${
      Array.from(counts).sort(([a], [b]) => String(a).localeCompare(String(b))).map(([status, count]) => `${status}×${count}`)
        .join(" ")
    }`
  )
  const failures = Array.from(summary.kinds).flatMap(([name, count]) => [
    "",
    `${count} × ${name}`,
    ...summary.failures.filter((found) => kindOf(found) === name).flatMap((found) => [
      `  replay: ${options.replay(found)}`,
      indent(describe(found.outcome)),
      ...(options.logged?.(found) ?? []).map((text) => indent(`logged: ${shorten(text, 2_000)}`))
    ])
  ])
  return [
    `${summary.sent} requests in ${Duration.format(summary.elapsed)}, seed ${summary.seed}`,
    "requests by the endpoint each was made for, and status:",
    ...rows,
    ...Array.from(summary.excused, ([reason, count]) => `excused: ${count} × known and open: ${reason}`),
    summary.kinds.size === 0
      ? "no failures"
      : `${sum(summary.kinds.values())} failures, of ${summary.kinds.size} kinds:`,
    ...failures
  ].join("\n")
}
