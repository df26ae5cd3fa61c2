/**
 * The domain and the client bundle for the browser (no Node module in them), and the client works there: in real
 * headless Chromium (Debian's, driven by playwright-core), against a real Errata server on loopback, a declared error
 * of the user's own arrives as its class, and a 429 is retried after its `Retry-After`.
 */
import { HttpApiBuilder, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { RateLimitExceeded } from "@errata/domain/Errors"
import { ErrataConfig, ErrataServer, Testing } from "@errata/server"
import { build } from "esbuild"
import { Effect, Layer } from "effect"
import { existsSync } from "node:fs"
import { createServer } from "node:http"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import { BrowserApi, StorageFull } from "./fixtures/BrowserApi.js"

const chromiumPath = "/usr/bin/chromium"

const root = fileURLToPath(new URL("../..", import.meta.url))

/**
 * A bundle for the browser of `contents`, with the packages' built files (`dist/`, what is published) in place of
 * their sources. esbuild refuses a `node:` module on this platform: the bundle fails if one is imported.
 */
const bundle = async (contents: string) => {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    alias: Object.fromEntries(
      ["domain", "server", "client"].map((name) => [`@errata/${name}`, `${root}packages/${name}/dist`])
    )
  })
  return result.outputFiles[0]!.text
}

describe("Browser bundles", () => {
  it("the domain and the client bundle for the browser, with no Node module", async () => {
    const text = await bundle(`
      import * as Domain from "@errata/domain"
      import * as Client from "@errata/client"
      console.log(Domain, Client)
    `)
    // What was bundled: the client's idempotency keys, the domain's Google format.
    assert.include(text, "idempotency-key")
    assert.include(text, "AIP-193")
  })
})

describe("The client in headless Chromium", () => {
  if (!existsSync(chromiumPath)) {
    console.log(`Browser test skipped: no Chromium at ${chromiumPath} (.ci/run installs Debian's chromium)`)
  }

  it.scopedLive.skipIf(!existsSync(chromiumPath))("gets a declared error as its class, and waits out a 429's Retry-After", () =>
    Effect.gen(function*() {
      const app = yield* Effect.promise(() => bundle(`import "./fixtures/browser-app.ts"`))
      const throttledAt: Array<number> = []
      const FilesLive = ErrataServer.group(BrowserApi, "files", (handlers) =>
        handlers
          .handle("upload", () => Effect.fail(new StorageFull({ quotaBytes: 1_000_000 })))
          .handle("throttled", () =>
            Effect.suspend(() => {
              throttledAt.push(Date.now())
              return throttledAt.length === 1
                ? Effect.fail(new RateLimitExceeded({ message: "Slow down", retryAfter: 1 }))
                : Effect.succeed("ok")
            })))
      const page = HttpApiBuilder.Router.use((router) =>
        Effect.all([
          router.get("/", HttpServerResponse.html(`<!doctype html><title>errata</title><script type="module" src="/app.js"></script>`)),
          router.get("/app.js", HttpServerResponse.text(app, { contentType: "text/javascript" }))
        ]))
      const server = yield* Layer.build(
        HttpApiBuilder.serve().pipe(
          Layer.provide(ErrataServer.layer(BrowserApi).pipe(Layer.provide(FilesLive))),
          Layer.provide(page),
          Layer.provide(ErrataConfig.layer({})),
          Layer.provide(Testing.captureLogs([])),
          Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
        )
      )
      const { address } = yield* HttpServer.HttpServer.pipe(Effect.provide(server))
      const url = `http://127.0.0.1:${(address as HttpServer.TcpAddress).port}/`

      const browser = yield* Effect.acquireRelease(
        Effect.promise(() =>
          chromium.launch({
            executablePath: chromiumPath,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
          })
        ),
        (browser) => Effect.promise(() => browser.close())
      )
      const result = yield* Effect.promise(async () => {
        const tab = await browser.newPage()
        await tab.goto(url)
        await tab.waitForFunction(() => (globalThis as any).errataResult !== undefined, undefined, { timeout: 30_000 })
        return tab.evaluate(() => (globalThis as any).errataResult)
      })

      assert.deepInclude(result, { tag: "StorageFull", ownClass: true, quotaBytes: 1_000_000, throttled: "ok" })
      assert.match(result.requestId, /^req_[0-9a-f]{32}$/)
      assert.strictEqual(throttledAt.length, 2)
      assert.isAtLeast(throttledAt[1]! - throttledAt[0]!, 1000)
    }))
})
