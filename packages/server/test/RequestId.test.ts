import { assert, describe, it } from "@effect/vitest"
import { RequestId } from "@errata/server"

describe("RequestId", () => {
  it("makes ids of 32 random hex digits, all different, past the end of one batch of random bytes", () => {
    const ids = Array.from({ length: 1000 }, RequestId.make)
    for (const id of ids) assert.match(id, /^req_[0-9a-f]{32}$/)
    assert.strictEqual(new Set(ids).size, ids.length)
  })

  it("keeps a well-formed caller id and replaces a missing, empty, long or unsafe one", () => {
    assert.strictEqual(RequestId.fromHeader("abc-123_x.y~z:1"), "abc-123_x.y~z:1")
    for (const header of [undefined, "", "x".repeat(129), "a b", "id\r\nx-admin: 1"]) {
      assert.match(RequestId.fromHeader(header), /^req_[0-9a-f]{32}$/)
    }
  })
})
