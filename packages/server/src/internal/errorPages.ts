/**
 * The error reference of an Errata server, served where its problem types point: with the default documentation base
 * `/errors/`, `GET /errors/<code>` describes one error — title, status, description, resolution, retry class, what
 * each format the server answers in carries, and the body each sends for an example of it — and `GET /errors` lists
 * them all. A browser gets a small self-contained HTML page; a request whose `Accept` prefers `application/json`
 * gets the same as JSON. The errors are the API's own (`Catalog.fromApi`) and every built-in one, described by
 * `CatalogDocument` as `docs/errors.md` is. A code no error has is answered `not_found` in the server's format, like
 * any unknown route, without the code.
 */
import type { HttpApi } from "@effect/platform"
import { HttpApiBuilder, HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NotFound } from "@errata/domain/Errors"
import { Effect, Layer } from "effect"
import * as ErrataConfig from "../ErrataConfig.js"
import { Catalog, CatalogDocument, WireFormat } from "@errata/domain"
import * as ErrorExample from "./errorExample.js"

/** One page, in both its forms. */
export interface Page {
  readonly html: string
  readonly json: string
}

/** The rendered reference. */
export interface Reference {
  /** Where the pages are: the list at the path, each error at the path, a slash and its code. */
  readonly path: string
  readonly list: Page
  /** The page of a code, as the type URI writes it (or in upper case, as `code-message` does). */
  readonly page: (code: string) => Page | undefined
}

/**
 * The errors the pages document: the API's own and every built-in one, so that each type URI the server can write
 * resolves — a handler's declared error, the middleware's (404, 405, 503), a route beside the API's. A class of the
 * API takes the place of a built-in class of the same code or tag.
 */
export const catalogOf = (api: HttpApi.HttpApi.Any): Catalog.Catalog => {
  const own = Catalog.fromApi(api)
  return Catalog.make(
    ...own.errors,
    ...Catalog.builtin.errors.filter(({ metadata }) =>
      own.byCode(metadata.code) === undefined && own.byTag(metadata.tag) === undefined
    )
  )
}

/** The path the pages are served under, from a documentation base: a path, or the path of an absolute URL. */
const pathOf = (documentationBase: string): string => {
  const path = new URL(documentationBase, "http://localhost").pathname.replace(/\/+$/, "")
  return path === "" ? "/" : path
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

/** Text for HTML content and attribute values: every character that could start markup is escaped. */
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c]!)

const style = [
  "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}",
  "main{max-width:56rem;margin:0 auto;padding:1.5rem}",
  "table{border-collapse:collapse;width:100%}",
  "th,td{text-align:left;vertical-align:top;padding:.35rem .6rem;border-bottom:1px solid #d0d7de}",
  "code,pre{font:13px/1.45 ui-monospace,monospace}",
  "pre{background:#f6f8fa;padding:.8rem;overflow:auto;border-radius:6px}",
  "dl{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}",
  "a{color:#0969da}"
].join("")

const htmlDocument = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escape(title)}</title><style>${style}</style></head>\n<body><main>\n${body}\n</main></body></html>\n`

interface FormatPage {
  readonly format: WireFormat.Any
  readonly isDefault: boolean
  /** The response this format sends for an example of the error; none where it cannot carry it. */
  readonly example: WireFormat.WireResponse | undefined
}

const carriesOf = (format: WireFormat.Any) => {
  const keys = Object.keys(CatalogDocument.carriesText) as Array<keyof WireFormat.Carries>
  return {
    carried: keys.filter((key) => format.carries[key]).map((key) => CatalogDocument.carriesText[key]),
    dropped: keys.filter((key) => !format.carries[key]).map((key) => CatalogDocument.carriesText[key])
  }
}

const exampleText = (response: WireFormat.WireResponse) =>
  [
    `HTTP/1.1 ${response.status} ${CatalogDocument.reasonPhrase(response.status)}`,
    ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
    "",
    JSON.stringify(JSON.parse(response.body), null, 2)
  ].join("\n")

const errorPage = (
  entry: CatalogDocument.Entry,
  documentation: string,
  listPath: string,
  formats: ReadonlyArray<FormatPage>
): Page => {
  const retryable = CatalogDocument.retryableText[entry.retry]
  const json = {
    code: entry.code,
    title: entry.title,
    status: entry.status,
    category: entry.category,
    retry: entry.retry,
    retryable,
    description: entry.description,
    resolution: entry.resolution,
    type: documentation,
    formats: formats.map(({ example, format, isDefault }) => ({
      name: format.name,
      content_type: format.contentType,
      default: isDefault,
      carries: {
        field_error_codes: format.carries.fieldErrorCodes,
        field_error_list: format.carries.fieldErrorList,
        request_id_in_body: format.carries.requestIdInBody,
        retry_after_in_body: format.carries.retryAfterInBody
      },
      example: example === undefined
        ? null
        : { status: example.status, headers: example.headers, body: JSON.parse(example.body) as unknown }
    }))
  }
  const rows = formats.map(({ format, isDefault }) => {
    const { carried, dropped } = carriesOf(format)
    return `<tr><td><code>${escape(format.name)}</code>${isDefault ? " (default)" : ""}</td>` +
      `<td><code>${escape(format.contentType)}</code></td><td>${escape(carried.join(", ") || "—")}</td>` +
      `<td>${escape(dropped.join(", ") || "—")}</td></tr>`
  })
  const examples = formats.map(({ example, format, isDefault }) =>
    `<h2>Example in <code>${escape(format.name)}</code>${isDefault ? " (the server's format)" : ""}</h2>\n` +
    (example === undefined
      ? `<p>No example of this error can be written in this format.</p>`
      : `<pre><code>${escape(exampleText(example))}</code></pre>`)
  )
  const html = htmlDocument(
    `${entry.title} (${entry.code})`,
    [
      `<p><a href="${escape(listPath)}">All errors</a></p>`,
      `<h1>${escape(entry.title)}</h1>`,
      `<dl><dt>Code</dt><dd><code>${escape(entry.code)}</code></dd>` +
      `<dt>Status</dt><dd>${entry.status} ${escape(CatalogDocument.reasonPhrase(entry.status))}</dd>` +
      `<dt>Category</dt><dd>${escape(entry.category)}</dd>` +
      `<dt>Retryable</dt><dd>${escape(retryable)} (<code>${escape(entry.retry)}</code>)</dd>` +
      `<dt>Type</dt><dd><code>${escape(documentation)}</code></dd></dl>`,
      `<h2>Description</h2>\n<p>${escape(entry.description)}</p>`,
      `<h2>Resolution</h2>\n<p>${escape(entry.resolution)}</p>`,
      `<h2>Wire formats</h2>`,
      `<table><thead><tr><th>Format</th><th>Content type</th><th>Carries</th><th>Does not carry</th></tr></thead>` +
      `<tbody>${rows.join("")}</tbody></table>`,
      ...examples
    ].join("\n")
  )
  return { html, json: JSON.stringify(json) }
}

const listPage = (
  entries: ReadonlyArray<CatalogDocument.Entry>,
  documentationBase: string,
  pagePath: (code: string) => string
): Page => {
  const json = {
    errors: entries.map((entry) => ({
      code: entry.code,
      title: entry.title,
      status: entry.status,
      category: entry.category,
      retry: entry.retry,
      description: entry.description,
      resolution: entry.resolution,
      type: documentationBase + entry.code
    }))
  }
  const rows = entries.map((entry) =>
    `<tr><td><a href="${escape(pagePath(entry.code))}"><code>${escape(entry.code)}</code></a></td>` +
    `<td>${entry.status}</td><td>${escape(entry.title)}</td><td>${escape(entry.description)}</td>` +
    `<td>${escape(CatalogDocument.retryableText[entry.retry])}</td></tr>`
  )
  const html = htmlDocument(
    "Error reference",
    [
      `<h1>Error reference</h1>`,
      `<p>Every error response carries one of these codes, in the wire format the service answers in. ` +
      `Responses carry the request id as <code>X-Request-ID</code>.</p>`,
      `<table><thead><tr><th>Code</th><th>Status</th><th>Title</th><th>Description</th><th>Retryable</th></tr>` +
      `</thead>` +
      `<tbody>${rows.join("")}</tbody></table>`
    ].join("\n")
  )
  return { html, json: JSON.stringify(json) }
}

/**
 * The reference of a catalog for a server answering in `formats` (its default format first): the type URIs are the
 * default format's documentation base followed by each code.
 */
export const make = (catalog: Catalog.Catalog, formats: ReadonlyArray<WireFormat.Any>): Reference => {
  const documentationBase = formats[0]?.documentationBase ?? "/errors/"
  const path = pathOf(documentationBase)
  const pagePath = (code: string) => `${path === "/" ? "" : path}/${code}`
  const entries = CatalogDocument.entries(catalog)
  const pages = new Map<string, Page>()
  for (const entry of entries) {
    const cls = catalog.byCode(entry.code)!
    pages.set(
      entry.code,
      errorPage(
        entry,
        documentationBase + entry.code,
        path,
        formats.map((format, i) => ({
          format,
          isDefault: i === 0,
          example: ErrorExample.response(format, cls)
        }))
      )
    )
  }
  return {
    path,
    list: listPage(entries, documentationBase, pagePath),
    page: (code) => pages.get(code) ?? pages.get(code.toLowerCase())
  }
}

/** The quality a request's `Accept` gives a media type: that of its most specific range (`+json` counts as JSON). */
const quality = (accept: string, type: string, subtype: string): number => {
  let specificity = -1
  let best = 0
  for (const range of accept.split(",")) {
    const [media = "", ...parameters] = range.split(";")
    const [rangeType, rangeSubtype] = media.trim().toLowerCase().split("/")
    if (rangeType === undefined || rangeSubtype === undefined) continue
    const exact = rangeSubtype === subtype || (subtype === "json" && rangeSubtype.endsWith("+json"))
    const matched = rangeType === type && exact
      ? 2
      : rangeType === type && rangeSubtype === "*"
      ? 1
      : rangeType === "*" && rangeSubtype === "*"
      ? 0
      : -1
    if (matched < specificity || matched === -1) continue
    const q = parameters.map((parameter) => parameter.trim().toLowerCase()).find((one) => one.startsWith("q="))
    const value = q === undefined ? 1 : Number(q.slice(2))
    const valid = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0
    best = matched > specificity ? valid : Math.max(best, valid)
    specificity = matched
  }
  return best
}

/** Whether a request's `Accept` prefers JSON to HTML; on a tie (`*\/*`, no header) it gets HTML. */
export const prefersJson = (accept: string | undefined): boolean =>
  accept !== undefined && quality(accept, "application", "json") > quality(accept, "text", "html")

/** The one answer for every code no error has: it carries nothing of the request. */
const unknownCode = new NotFound({ message: "No error has this code" }, true)

const headers = {
  vary: "Accept",
  "cache-control": "public, max-age=300",
  "x-content-type-options": "nosniff",
  // The pages are self-contained: nothing to load, no script to run.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
}

const respond = (page: Page) =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
    prefersJson(request.headers.accept)
      ? HttpServerResponse.text(page.json, { contentType: "application/json", headers })
      : HttpServerResponse.text(page.html, { contentType: "text/html; charset=utf-8", headers }))

/**
 * Serves the error reference of `api` at the path of the server's documentation base (the default format's): the
 * list at the path itself, each error at the path followed by its code. `ErrataServer.layer` includes it, so that
 * every type URI the server writes resolves.
 */
export const layer = (api: HttpApi.HttpApi.Any): Layer.Layer<never, never, ErrataConfig.ErrataConfig> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const config = yield* ErrataConfig.ErrataConfig
    const reference = make(catalogOf(api), config.formats)
    const item = Effect.flatMap(HttpRouter.params, (params) => {
      const page = params.code === undefined ? undefined : reference.page(params.code)
      return page === undefined ? Effect.fail(unknownCode) : respond(page)
    })
    return HttpApiBuilder.Router.use((router) =>
      Effect.zipRight(
        router.get(reference.path as HttpRouter.PathInput, respond(reference.list)),
        router.get(`${reference.path === "/" ? "" : reference.path}/:code` as HttpRouter.PathInput, item)
      )
    )
  }))
