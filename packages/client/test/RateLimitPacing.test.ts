import { assert, describe, it } from "@effect/vitest"
import { RateLimitPacing } from "@errata/client"

describe("RateLimitPacing", () => {
  it("parses the IETF draft's RateLimit and RateLimit-Policy headers", () => {
    assert.deepStrictEqual(RateLimitPacing.parseRateLimit(`"default";r=50;t=30`), [{ policy: "default", remaining: 50, reset: 30 }])
    assert.deepStrictEqual(RateLimitPacing.parseRateLimit(`burst;r=0;t=1, "daily";r=900;t=3600`), [
      { policy: "burst", remaining: 0, reset: 1 },
      { policy: "daily", remaining: 900, reset: 3600 }
    ])
    assert.deepStrictEqual(RateLimitPacing.parseRateLimit(`"default";t=3`), [])
    assert.deepStrictEqual(RateLimitPacing.parseRateLimitPolicy(`"default";q=100;w=60`), [{ policy: "default", quota: 100, window: 60 }])
  })

  it("holds attempts until the reset when nothing remains", () => {
    const pacing = RateLimitPacing.make()
    assert.isTrue(pacing.idle())
    pacing.observe(`"default";r=0;t=3`, undefined, 1000)
    assert.isFalse(pacing.idle())
    assert.strictEqual(pacing.reserve(1000, 60_000), 3000)
    assert.strictEqual(pacing.reserve(4000, 60_000), 0)
  })

  it("spreads what remains over the time to the reset, never slower than the policy's own rate", () => {
    const pacing = RateLimitPacing.make()
    pacing.observe(`"default";r=4;t=2`, undefined, 0)
    assert.deepStrictEqual([pacing.reserve(0, 60_000), pacing.reserve(0, 60_000), pacing.reserve(0, 60_000)], [0, 500, 1000])
    const policed = RateLimitPacing.make()
    policed.observe(`"default";r=1;t=30`, `"default";q=100;w=60`, 0)
    assert.deepStrictEqual([policed.reserve(0, 60_000), policed.reserve(0, 60_000)], [0, 600])
  })

  it("reserves nothing for an attempt that could not start before its deadline", () => {
    const pacing = RateLimitPacing.make()
    pacing.observe(`"default";r=0;t=10`, undefined, 0)
    assert.isUndefined(pacing.reserve(0, 5000))
    assert.strictEqual(pacing.reserve(0, 20_000), 10_000)
  })

  it("follows the strictest of several limits", () => {
    const pacing = RateLimitPacing.make()
    pacing.observe(`"burst";r=10;t=1, "daily";r=0;t=5`, undefined, 0)
    assert.strictEqual(pacing.reserve(0, 60_000), 5000)
  })
})
