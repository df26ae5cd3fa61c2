/**
 * The docs page as a person sees it: `/docs` of the reference service opened in real headless Chromium (Debian's,
 * driven by playwright-core). The page comes compressed, every operation of the service's OpenAPI document is on it
 * with the code of every error it documents, an error's example is the body the server sends in its own format,
 * a reload costs no body, and the page loads nothing from elsewhere.
 */
import { HttpApi, HttpServer } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { existsSync } from "node:fs"
import { chromium } from "playwright-core"
import { AdminApi } from "../src/Api.js"
import * as OpenApiDocument from "./fixtures/OpenApiDocument.js"
import { service } from "./fixtures/Service.js"

const chromiumPath = "/usr/bin/chromium"

/** Each operation of the document: its section's id on the page (Scalar's), and the codes of its errors. */
const operationsOf = (document: OpenApiDocument.Document) =>
  Object.entries<any>(document.paths).flatMap(([path, operations]) =>
    Object.entries<any>(operations).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      section: `/tag/${operation.tags[0]}/${method}${path}`,
      codes: Array.from(
        new Set(
          Object.entries<any>(operation.responses)
            .filter(([status]) => Number(status) >= 400)
            .flatMap(([, response]) => Object.values<any>(response.content ?? {}))
            .flatMap((media) => Object.keys(media.examples ?? {}))
        )
      )
    }))
  )

describe("The docs page in headless Chromium", () => {
  if (!existsSync(chromiumPath)) {
    console.log(`Docs page test skipped: no Chromium at ${chromiumPath} (.ci/run installs Debian's chromium)`)
  }

  const shows = "shows every endpoint and its error codes, and the server's own bodies"
  it.scopedLive.skipIf(!existsSync(chromiumPath))(shows, () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(service())
      const document = yield* Effect.provide(OpenApiDocument.fetch, context)
      const { address } = yield* Effect.provide(HttpServer.HttpServer, context)
      const origin = `http://127.0.0.1:${(address as HttpServer.TcpAddress).port}`
      const operations = operationsOf(document)

      const browser = yield* Effect.acquireRelease(
        Effect.promise(() =>
          chromium.launch({
            executablePath: chromiumPath,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
          })
        ),
        (browser) => Effect.promise(() => browser.close())
      )
      const seen = yield* Effect.promise(async () => {
        const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
        const requested: Array<string> = []
        tab.on("request", (request) => requested.push(request.url()))
        const first = await tab.goto(`${origin}/docs`)
        await tab.getByText(document.info.title).first().waitFor({ timeout: 60_000 })
        // Each operation's section and the text a person can read in it (empty where it is not shown), read again
        // each second until every section has some, for a minute at most.
        const read = (suffixes: ReadonlyArray<string>) => {
          const all: Array<{ id: string; innerText: string }> = Array.from(
            (globalThis as any).document.querySelectorAll("section[id]")
          )
          return suffixes.map((suffix) => all.find((section) => section.id.endsWith(suffix))?.innerText ?? "")
        }
        const suffixes = operations.map((operation) => operation.section)
        let sections = await tab.evaluate(read, suffixes)
        for (let second = 0; second < 60 && sections.includes(""); second++) {
          await tab.waitForTimeout(1000)
          sections = await tab.evaluate(read, suffixes)
        }
        // The example card of a 404, as it shows by default.
        const get = tab.locator(`section[id$="/tag/users/get/api/admin/users/{id}"]`)
        await get.getByRole("tab", { name: "404" }).click()
        const card = await get.locator("[aria-label='Example Responses']").innerText()
        const reload = await tab.reload()
        return {
          title: await tab.title(),
          sections,
          card,
          requested,
          first: await first?.allHeaders(),
          // A reload asks whether the page changed (If-None-Match): a 304, whose body is nothing.
          reloadBody: (await reload?.request().sizes())?.responseBodySize
        }
      })

      assert.strictEqual(seen.title, document.info.title)
      assert.deepInclude(seen.first, { "content-encoding": "br", "cache-control": "no-cache", vary: "accept-encoding" })
      assert.strictEqual(seen.reloadBody, 0)
      const missing = operations.flatMap((operation, i) => {
        const text = seen.sections[i]!.replace(/\u200b/g, "")
        if (text === "") return [`${operation.name}: not shown`]
        return operation.codes.filter((code) => !text.includes(code)).map((code) => `${operation.name}: ${code}`)
      })
      assert.deepStrictEqual(missing, [])
      let endpoints = 0
      HttpApi.reflect(AdminApi, { onGroup: () => {}, onEndpoint: () => endpoints++ })
      assert.strictEqual(operations.length, endpoints, "every endpoint of the API is in the document")
      // The server answers in oauth-details: the example is its body, with the members it sends for this error.
      assert.include(seen.card, "\"error\": \"user_not_found\"")
      assert.include(seen.card, "\"request_id\"")
      for (const member of ["\"type\"", "\"instance\"", "\"retry_after\"", "\"debug\"", "\"details\""]) {
        assert.notInclude(seen.card, member)
      }
      const elsewhere = seen.requested.filter((url) => !url.startsWith(origin))
      assert.deepStrictEqual(elsewhere, [], "the page loads nothing from elsewhere")
    }), { timeout: 180_000 })
})
