/**
 * A fixed document served as a static asset: compressed with Brotli or gzip for a client that accepts it (each
 * encoding made once, on its first request), with a strong ETag per encoding so that a repeat load is a 304 without
 * a body, and `Cache-Control: no-cache` so that a browser keeps it but asks each time whether it changed (a new
 * configuration changes it without changing its URL).
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { brotliCompress, constants, gzip } from "node:zlib"

type Encoding = "br" | "gzip" | "identity"

/** The encoding to send: the accepted one (`q` above 0) of highest weight, Brotli before gzip on a tie, else none. */
const chooseEncoding = (acceptEncoding: string | undefined): Encoding => {
  if (acceptEncoding === undefined) return "identity"
  const weights = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim())
    const q = parameters.find((parameter) => parameter.startsWith("q="))
    weights.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0)
  }
  const weight = (name: string) => weights.get(name) ?? weights.get("*") ?? 0
  const br = weight("br")
  const gzip = Math.max(weight("gzip"), weights.get("x-gzip") ?? 0)
  return br > 0 && br >= gzip ? "br" : gzip > 0 ? "gzip" : "identity"
}

const compress = (encoding: "br" | "gzip", bytes: Uint8Array) =>
  Effect.async<Uint8Array>((resume) => {
    const done = (error: Error | null, result: Buffer) =>
      resume(error === null ? Effect.succeed(new Uint8Array(result)) : Effect.die(error))
    if (encoding === "gzip") gzip(bytes, { level: 9 }, done)
    else {
      brotliCompress(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength }
      }, done)
    }
  })

/** Whether `If-None-Match` names this entity tag (or any). */
const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  ifNoneMatch.split(",").some((tag) => {
    const trimmed = tag.trim()
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag
  })

/** The handler of a route that serves `text` as `contentType`. */
export const make = (text: string, contentType: string) =>
  Effect.gen(function*() {
    const bytes = new TextEncoder().encode(text)
    const hash = createHash("sha256").update(bytes).digest("base64url").slice(0, 32)
    const variants = {
      identity: Effect.succeed(bytes),
      br: yield* Effect.cached(compress("br", bytes)),
      gzip: yield* Effect.cached(compress("gzip", bytes))
    }
    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const encoding = chooseEncoding(request.headers["accept-encoding"])
      const etag = encoding === "identity" ? `"${hash}"` : `"${hash}-${encoding}"`
      const headers: Record<string, string> = { "cache-control": "no-cache", "vary": "accept-encoding", etag }
      if (matches(request.headers["if-none-match"], etag)) return HttpServerResponse.empty({ status: 304, headers })
      if (encoding !== "identity") headers["content-encoding"] = encoding
      return HttpServerResponse.uint8Array(yield* variants[encoding], { contentType, headers })
    })
  })
