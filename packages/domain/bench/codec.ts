/**
 * `pnpm bench:codec`: ns/op of each wire format's encode and decode next to plain JSON.stringify / JSON.parse of the
 * same body; decoding against the seed catalog and one of 500 errors; constructing an error with and without a stack trace.
 */
import { Bench } from "tinybench"
import { BuiltinFormats, Catalog, CatalogError, WireFormat } from "@errata/domain"
import { NotFound, UserNotFound, ValidationError } from "@errata/domain/Errors"

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

const sample: ReadonlyArray<CatalogError.CatalogError> = [
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
for (const format of BuiltinFormats.all) {
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

const generated = Array.from({ length: 500 - Catalog.seed.errors.length }, (_, i) => {
  const n = String(i).padStart(3, "0")
  return CatalogError.Class<CatalogError.CatalogError>()(`Generated${n}`, {
    code: `generated_error_${n}`,
    status: [400, 404, 409, 422, 500][i % 5]!,
    category: "state",
    description: `Generated error ${n}`,
    resolution: "None"
  })
})
const catalog500 = Catalog.seed.pipe(Catalog.add(...generated))
console.log(`\ndecode against catalogs of ${Catalog.seed.errors.length} and ${catalog500.errors.length} errors`)
console.log(`format           ${Catalog.seed.errors.length} errors   500 errors   ratio`)
for (const small of BuiltinFormats.all) {
  const name = small.name
  const large = WireFormat.withCatalog(small, catalog500)
  const response = small.encode(new NotFound({ requestId: "req_1" }))
  const lastGenerated = large.encode(new generated[generated.length - 1]!({}))
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
CatalogError.setStackTraceCapture(true)
const withStack = measure({ construct })
CatalogError.setStackTraceCapture(false)
console.log("\nconstructing an error (new NotFound({ message }))")
console.log(`  without stack trace (default) ${ns(withoutStack.construct!)}`)
console.log(`  with stack trace              ${ns(withStack.construct!)}`)
