import { it } from "@effect/vitest"
import { Catalog, WireFormat } from "@errata/domain"
import * as Testing from "@errata/domain/Testing"
import { Api } from "../src/Api.js"
import { FaultEnvelope } from "../src/Fault.js"

// Every error the API declares, your own among them, in the formats you serve.
const catalog = Catalog.fromApi(Api)
const formats = [WireFormat.ProblemDetails, WireFormat.make(FaultEnvelope)].map((f) => WireFormat.withCatalog(f, catalog))

for (const format of formats) {
  it(`${format.name}: every error survives encode → decode`, () => Testing.assertRoundTrip(format))
  it(`${format.name}: decode never throws`, () => Testing.assertTotal(format))
  it(`${format.name}: the JSON Schema describes every body`, () => Testing.assertJsonSchema(format))
}
