/**
 * The error reference over real HTTP: the list and the page of each error of an API of the test's own (a user's
 * error among them), as HTML and as JSON; an unknown code answered as any unknown route is, in every format; and the
 * type URI (RFC 9457) and Help link (Google) of real error responses, fetched from the same server.
 */
import type { HttpClient, HttpServer } from "@effect/platform"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpClientRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { BuiltinFormats, Catalog, CatalogError, ErrataApi, GoogleRpc, WireFormat } from "@errata/domain"
import { NotFound } from "@errata/domain/Errors"
import { ErrataConfig, ErrataServer, Testing } from "@errata/server"
import { Effect, Layer, Schema } from "effect"
import { assertAnswers } from "./fixtures/TestServer.js"

/** A user's own error, with a required field and a description with characters HTML must escape. */
class QuotaExhausted extends CatalogError.Class<QuotaExhausted>()("QuotaExhausted", {
  code: "quota_exhausted",
  status: 403,
  category: "authorization",
  description: "The <plan> & its \"quota\" are used up",
  resolution: "Wait for the next period or raise the quota",
  fields: { quota: Schema.Int }
}) {}

class PagesGroup extends HttpApiGroup.make("pages")
  .add(HttpApiEndpoint.post("spend", "/spend").addError(QuotaExhausted))
  .add(HttpApiEndpoint.get("missing", "/missing").addError(NotFound))
{}

class PagesApi extends ErrataApi.make("pages").add(PagesGroup) {}

const PagesHandlers = ErrataServer.group(PagesApi, "pages", (handlers) =>
  handlers
    .handle("spend", () => Effect.fail(new QuotaExhausted({ quota: 10 })))
    .handle("missing", () => Effect.fail(new NotFound({ message: "Nothing here" }))))

/** An Errata server for `PagesApi` serving its error reference, on a random loopback port. */
const served = (config: ErrataConfig.Options): Layer.Layer<HttpClient.HttpClient | HttpServer.HttpServer, unknown> =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(ErrataServer.layer(PagesApi).pipe(Layer.provide(PagesHandlers))),
    Layer.provide(ErrataConfig.layer(config)),
    Layer.provide(Testing.captureLogs([])),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )

const get = (url: string, accept?: string) =>
  Testing.send(
    accept === undefined
      ? HttpClientRequest.get(url)
      : HttpClientRequest.get(url).pipe(HttpClientRequest.accept(accept))
  )

const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

const assertSelfContained = (html: string) => {
  assert.notMatch(html, /<script|<link|<iframe|<img|@import|url\(/i)
  assert.notMatch(html, /(?:src|href)="(?:https?:)?\/\//i)
}

describe("The error reference ErrataServer serves", () => {
  layer(served({}), { excludeTestServices: true })("in the default format (oauth-details)", (it) => {
    it.effect("lists every error of the API, the user's own among them, with its type URI", () =>
      Effect.gen(function*() {
        const answer = yield* get("/errors", "application/json")
        assert.strictEqual(answer.status, 200)
        assert.strictEqual(answer.headers["content-type"], "application/json")
        const listed: Array<Record<string, unknown>> = JSON.parse(answer.body).errors
        const codes = listed.map((entry) => String(entry.code))
        for (const cls of [...Catalog.fromApi(PagesApi).errors, ...Catalog.builtin.errors]) {
          assert.include(codes, cls.metadata.code)
        }
        assert.strictEqual(new Set(codes).size, codes.length)
        assert.deepStrictEqual(listed.find((entry) => entry.code === "quota_exhausted"), {
          code: "quota_exhausted",
          title: "Quota exhausted",
          status: 403,
          category: "authorization",
          retry: "never",
          description: "The <plan> & its \"quota\" are used up",
          resolution: "Wait for the next period or raise the quota",
          type: "/errors/quota_exhausted"
        })

        const html = yield* get("/errors", browser)
        assert.strictEqual(html.status, 200)
        assert.strictEqual(html.headers["content-type"], "text/html; charset=utf-8")
        for (const code of codes) assert.include(html.body, `<a href="/errors/${code}"><code>${code}</code></a>`)
        assertSelfContained(html.body)
      }))

    it.effect("gives a user's own error a page for a browser, escaped and self-contained", () =>
      Effect.gen(function*() {
        const answer = yield* get("/errors/quota_exhausted", browser)
        assert.strictEqual(answer.status, 200)
        assert.strictEqual(answer.headers["content-type"], "text/html; charset=utf-8")
        assert.strictEqual(answer.headers["vary"], "Accept")
        assert.match(answer.headers["x-request-id"] ?? "", /^req_[0-9a-f]{32}$/)
        assert.match(answer.headers["content-security-policy"] ?? "", /default-src 'none'/)
        assert.include(answer.body, "<h1>Quota exhausted</h1>")
        assert.include(answer.body, "<dd>403 Forbidden</dd>")
        assert.include(answer.body, "The &lt;plan&gt; &amp; its &quot;quota&quot; are used up")
        assert.notInclude(answer.body, "<plan>")
        assert.include(answer.body, "Wait for the next period or raise the quota")
        assert.include(answer.body, "No (<code>never</code>)")
        assert.include(answer.body, "<code>oauth-details</code> (default)")
        assert.include(answer.body, "<code>problem-details</code>")
        assert.include(answer.body, "HTTP/1.1 403 Forbidden")
        assertSelfContained(answer.body)
        // No Accept, or any type: the page for people.
        for (const accept of [undefined, "*/*"]) {
          const answer = yield* get("/errors/quota_exhausted", accept)
          assert.strictEqual(answer.headers["content-type"], "text/html; charset=utf-8")
        }
      }))

    it.effect("gives it as JSON to a request that prefers JSON, with the body each format sends for it", () =>
      Effect.gen(function*() {
        const answer = yield* get("/errors/quota_exhausted", "application/json, text/html;q=0.5")
        assert.strictEqual(answer.status, 200)
        assert.strictEqual(answer.headers["content-type"], "application/json")
        const page = JSON.parse(answer.body)
        const { formats, ...entry } = page
        assert.deepStrictEqual(entry, {
          code: "quota_exhausted",
          title: "Quota exhausted",
          status: 403,
          category: "authorization",
          retry: "never",
          retryable: "No",
          description: "The <plan> & its \"quota\" are used up",
          resolution: "Wait for the next period or raise the quota",
          type: "/errors/quota_exhausted"
        })
        assert.deepStrictEqual(formats.map((format: any) => [format.name, format.content_type, format.default]), [
          ["oauth-details", "application/json", true],
          ["problem-details", "application/problem+json", false]
        ])
        assert.deepStrictEqual(formats[0].carries, {
          field_error_codes: false,
          field_error_list: false,
          request_id_in_body: true,
          retry_after_in_body: true
        })
        // What the format really writes for such an error: it decodes back to the class.
        const example = formats[0].example
        assert.strictEqual(example.status, 403)
        assert.strictEqual(example.headers["content-type"], "application/json")
        assert.match(example.headers["x-request-id"], /^req_[0-9a-f]{32}$/)
        assert.deepStrictEqual(example.body, {
          error: "quota_exhausted",
          error_description: "The <plan> & its \"quota\" are used up",
          request_id: example.headers["x-request-id"],
          quota: 1
        })
        const decoded = WireFormat.withCatalog(WireFormat.OAuthDetails, Catalog.make(QuotaExhausted)).decode({
          status: example.status,
          headers: example.headers,
          body: JSON.stringify(example.body)
        })
        assert.instanceOf(decoded, QuotaExhausted)
        assert.strictEqual(formats[1].example.body.type, "/errors/quota_exhausted")
      }))

    it.effect("documents the built-in errors with their field errors and retry delays where they have them", () =>
      Effect.gen(function*() {
        const validation = JSON.parse((yield* get("/errors/validation_error", "application/json")).body)
        assert.strictEqual(validation.status, 422)
        assert.deepStrictEqual(validation.formats[1].example.body.errors, [
          { field: "name", message: "name is required", code: "required" }
        ])
        const limited = JSON.parse((yield* get("/errors/rate_limit_exceeded", "application/json")).body)
        assert.strictEqual(limited.retry, "with_backoff")
        assert.strictEqual(limited.formats[0].example.headers["retry-after"], "1")
        assert.strictEqual(limited.formats[0].example.body.retry_after, 1)
        // Codes as code-message writes them (upper case) find the same page.
        const upper = yield* get("/errors/RATE_LIMIT_EXCEEDED", "application/json")
        assert.strictEqual(upper.status, 200)
        assert.strictEqual(JSON.parse(upper.body).code, "rate_limit_exceeded")
      }))
  })

  for (const format of BuiltinFormats.all) {
    layer(served({ format }), { excludeTestServices: true })(`an unknown code, in ${format.name}`, (it) => {
      const requestId = "req_pages_0001"
      const assertAnswer = assertAnswers(format, requestId)
      const unknown = new NotFound({ message: "No error has this code" })

      it.effect("is answered not_found in the format, with the request id, without the code", () =>
        Effect.gen(function*() {
          for (const accept of [browser, "application/json"]) {
            const answer = yield* assertAnswer(
              HttpClientRequest.get("/errors/no_such_code_x7").pipe(HttpClientRequest.accept(accept)),
              unknown
            )
            assert.notInclude(answer.body, "no_such_code_x7")
          }
          // Markup in the path is not echoed either.
          const markup = yield* assertAnswer(HttpClientRequest.get("/errors/%3Cmarquee%3Ez9q"), unknown)
          assert.notMatch(markup.body, /marquee|z9q/i)
        }))
    })
  }

  for (const format of [WireFormat.ProblemDetails, GoogleRpc.format]) {
    layer(served({ format }), { excludeTestServices: true })(`the documentation URIs of ${format.name}`, (it) => {
      /** Where a response's body says its error is documented: RFC 9457's `type`, or Google's `Help` link. */
      const documentationOf = (body: string): string => {
        const json = JSON.parse(body)
        if (format === WireFormat.ProblemDetails) return json.type
        const help = json.error.details.find((detail: any) => detail["@type"] === GoogleRpc.detailTypes.help)
        return help.links[0].url
      }

      it.effect("resolve, for a declared built-in error and for the user's own", () =>
        Effect.gen(function*() {
          for (const [request, code] of [
            [HttpClientRequest.get("/missing"), "not_found"],
            [HttpClientRequest.post("/spend"), "quota_exhausted"],
            [HttpClientRequest.get("/no/such/route"), "not_found"]
          ] as const) {
            const failed = yield* Testing.send(request)
            assert.strictEqual(failed.headers["content-type"], format.contentType)
            const uri = documentationOf(failed.body)
            assert.strictEqual(uri, `/errors/${code}`)
            const page = yield* get(uri, "application/json")
            assert.strictEqual(page.status, 200)
            assert.strictEqual(JSON.parse(page.body).code, code)
            assert.strictEqual(JSON.parse(page.body).formats[0].name, format.name)
            assert.strictEqual((yield* get(uri, browser)).status, 200)
          }
        }))
    })
  }

  const absolute = WireFormat.make(WireFormat.ProblemDetails.envelope, {
    documentationBase: "https://api.example.com/reference/errors/"
  })
  layer(served({ format: absolute }), { excludeTestServices: true })("under a documentation base of its own", (it) => {
    it.effect("serves the pages at the base's path, with the base's type URIs", () =>
      Effect.gen(function*() {
        const failed = JSON.parse((yield* Testing.send(HttpClientRequest.post("/spend"))).body)
        assert.strictEqual(failed.type, "https://api.example.com/reference/errors/quota_exhausted")
        const page = yield* get("/reference/errors/quota_exhausted", "application/json")
        assert.strictEqual(page.status, 200)
        assert.strictEqual(JSON.parse(page.body).type, failed.type)
        const list = yield* get("/reference/errors", browser)
        assert.include(list.body, `<a href="/reference/errors/quota_exhausted">`)
        assert.strictEqual((yield* get("/errors/quota_exhausted")).status, 404)
      }))
  })
})
