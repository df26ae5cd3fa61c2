/**
 * `pnpm bench:codec`: ns/op of each wire format's encode and decode next to plain JSON.stringify / JSON.parse of the
 * same body; decoding against catalogs of 51 and of 500 errors; constructing an error with and without a stack trace.
 */
import { Bench } from "tinybench"
import type { AnyCatalogError } from "@errata/domain"
import {
  Catalog,
  CatalogError,
  NotFound,
  setStackTraceCapture,
  UserNotFound,
  ValidationError,
  WireFormat
} from "@errata/domain"

const time = Number(process.env.BENCH_TIME_MS ?? 250)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)

/**
 * The median latency of each task in ns, as the best of several interleaved rounds: on a shared machine, noise only
 * ever adds time, so the minimum over rounds is the steadiest estimate.
 */
const measure = (tasks: Record<string, () => unknown>): Record<string, number> => {
  const best: Record<string, number> = {}
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: 50 })
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn)
    bench.runSync()
    for (const task of bench.tasks) {
      const result = task.result as { latency?: { p50: number } }
      const median = (result.latency?.p50 ?? NaN) * 1e6
      best[task.name] = Math.min(best[task.name] ?? Infinity, median)
    }
  }
  return best
}

const ns = (value: number) => `${value.toFixed(0).padStart(7)} ns`

const sample: ReadonlyArray<AnyCatalogError> = [
  new ValidationError({
    message: "Invalid input data",
    requestId: "req_abc123xyz",
    fieldErrors: [
      { field: "email", message: "Please enter a valid email address", code: "invalid_format" },
      { field: "name", message: "Name is required", code: "required" }
    ]
  }),
  new UserNotFound({ message: "The specified user was not found", userId: "u_42", requestId: "req_abc123xyz" })
]

console.log(`Errata codec benchmark — node ${process.version}, best of ${rounds} rounds of ${time} ms per case (median ns/op)\n`)
console.log("format           error            encode    JSON.stringify   decode    JSON.parse   decode/parse")
for (const format of WireFormat.all) {
  for (const error of sample) {
    const response = format.encode(error)
    const body = JSON.parse(response.body)
    const r = measure({
      encode: () => format.encode(error),
      stringify: () => JSON.stringify(body),
      decode: () => format.decode(response),
      parse: () => JSON.parse(response.body)
    })
    console.log(
      `${format.name.padEnd(16)} ${error._tag.padEnd(16)} ${ns(r.encode!)} ${ns(r.stringify!)}    ${ns(r.decode!)} ${
        ns(r.parse!)
      }   ${(r.decode! / r.parse!).toFixed(1).padStart(5)}x`
    )
  }
}

const generated = Array.from({ length: 449 }, (_, i) => {
  const n = String(i).padStart(3, "0")
  return CatalogError<AnyCatalogError>()(`Generated${n}`, {
    code: `generated_error_${n}`,
    status: [400, 404, 409, 422, 500][i % 5]!,
    category: "state",
    description: `Generated error ${n}`,
    resolution: "None"
  })
})
const catalog500 = Catalog.seed.pipe(Catalog.add(...generated))
console.log(`\ndecode against catalogs of ${Catalog.seed.errors.length} and ${catalog500.errors.length} errors`)
console.log("format           51 errors   500 errors   ratio")
for (const name of WireFormat.names) {
  const small = WireFormat.make(name)
  const large = WireFormat.make(name, { catalog: catalog500 })
  const response = small.encode(new NotFound({ requestId: "req_1" }))
  const lastGenerated = large.encode(new generated[448]!({}))
  const r = measure({
    small: () => small.decode(response),
    large: () => large.decode(response),
    largeLast: () => large.decode(lastGenerated)
  })
  console.log(
    `${name.padEnd(16)} ${ns(r.small!)}  ${ns(r.large!)}   ${(r.large! / r.small!).toFixed(2)}  (last generated code: ${
      ns(r.largeLast!)
    })`
  )
}

const construct = () => new NotFound({ message: "Project 'MyProject' not found" })
const withoutStack = measure({ construct })
setStackTraceCapture(true)
const withStack = measure({ construct })
setStackTraceCapture(false)
console.log("\nconstructing an error (new NotFound({ message }))")
console.log(`  without stack trace (default) ${ns(withoutStack.construct!)}`)
console.log(`  with stack trace              ${ns(withStack.construct!)}`)
