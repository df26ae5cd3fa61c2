/**
 * What every answer must be, whatever was asked: an answer at all, with a well-formed `X-Request-ID` (the caller's
 * when it sent a well-formed one and its headers could be read); a success status of the endpoint, or an error body
 * in the format the server answers that request in, decoding to an error the endpoint declares or the framework
 * answers any request with, of that status, whose message quotes nothing the fuzzer made up; a body the OpenAPI
 * document gives for the operation, status and content type; and never a 500, unless the run forces faults and the
 * endpoint's handler declares the error (`database_error`).
 */
import { BuiltinFormats, CatalogError, UnknownApiError, WireFormat } from "@errata/domain"
import { BadRequest, NotFound } from "@errata/domain/Errors"
import { MethodNotAllowed } from "@errata/domain/FrameworkErrors"
import type { ErrataConfig } from "@errata/server"
import * as Conformance from "./Conformance.js"
import type { Endpoint } from "./Endpoints.js"
import { asRouted, beforeRouting, serverRefusals, unrouted } from "./Endpoints.js"
import type { Request } from "./Probes.js"
import { canary } from "./Probes.js"

/** An answer as it came over the wire: header names in lower case, the body as text. */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Whether the body's bytes were UTF-8. */
  readonly utf8: boolean
}

/** What the checks need to know of the server. */
export interface Context {
  readonly config: ErrataConfig.Resolved
  readonly document: Conformance.Document
  /** Whether the run forces faults, so that the handlers' own 5xx errors are what a real failure gives. */
  readonly faults: boolean
}

const requestIdShape = /^[A-Za-z0-9._~:-]{1,128}$/

const detecting = WireFormat.detect(BuiltinFormats.all)

/** What answers a request no route serves, in the server's format whatever the path's endpoint. */
const routing: ReadonlySet<string> = new Set([NotFound.metadata.tag, MethodNotAllowed.metadata.tag])

const header = (request: Request, name: string) => {
  const values = request.headers.filter(([header]) => header === name).map(([, value]) => value)
  return values.length === 0 ? undefined : values.join(", ")
}

/**
 * Whether the document speaks of the request's path: not when it has a `.` or `..` segment, which a URL parser
 * resolves and the router does not, nor when a segment does not decode to text (`%E9`), which no route matches.
 */
const documented = (target: string) => {
  const path = target.split("?")[0]!
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path)) return false
  try {
    decodeURIComponent(path)
    return true
  } catch {
    return false
  }
}

/** The problems of `answer` to `request` (for `endpoint`, if it is meant for one); none when it is as it must be. */
export const problems = (
  context: Context,
  endpoint: Endpoint | undefined,
  request: Request,
  answer: Answer | undefined
): ReadonlyArray<string> => {
  if (answer === undefined) return ["no complete answer"]
  const found: Array<string> = []
  const problem = (text: string) => void found.push(text)
  const { config } = context
  const head = request.method === "HEAD"
  const accept = header(request, "accept")
  const contentType = (answer.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase()
  const wire = { status: answer.status, headers: answer.headers, body: answer.body }
  const detected = detecting.decode(wire)
  const detectedTag = CatalogError.is(detected) ? detected._tag : undefined
  // The HTTP server refuses what it cannot parse before any endpoint is known, and the router what it cannot route,
  // both in the server's format (`bad_request` is also a format's malformed body: of a request that was not).
  const refused = detectedTag !== undefined && serverRefusals.has(detectedTag) &&
    (request.malformed || detectedTag !== BadRequest.metadata.tag)
  const unroutable = refused || (detectedTag !== undefined && routing.has(detectedTag))
  let decoded: CatalogError.CatalogError | undefined

  if (!answer.utf8) problem("the body is not UTF-8")
  if (answer.status >= 400 && !head) {
    const answeredIn = endpoint?.format ?? config.formatFor(accept)
    const formats = unroutable ? [answeredIn, config.formatFor(accept), config.format] : [answeredIn]
    let json: unknown
    try {
      json = JSON.parse(answer.body)
    } catch {
      problem(`the error body is not JSON: ${JSON.stringify(answer.body.slice(0, 200))}`)
    }
    if (json !== undefined) {
      if (detected instanceof UnknownApiError.UnknownApiError) problem("the error body is in no known format")
      const format = formats.find((one) => one.contentType === contentType && one.envelope.recognizes(json, contentType))
      const error = format?.decode(wire)
      if (format === undefined) {
        problem(`the error body is not in the ${formats[0]!.name} format (${contentType || "no content type"})`)
      } else if (!CatalogError.is(error)) {
        problem(`the ${format.name} body does not decode to an error of the catalog`)
      } else {
        decoded = error
        // Any request may be refused before it reaches its endpoint: no route, another method, what the parser refuses.
        const declared = endpoint === undefined ? unrouted(config.formats) : endpoint.errors
        const cls = declared.get(error._tag) ?? beforeRouting.find((one) => one.metadata.tag === error._tag)
        if (cls === undefined) {
          const by = endpoint === undefined ? "of a request to no endpoint" : `${endpoint.name} declares`
          problem(`${error._tag} is not an error ${by}`)
        } else if (cls.metadata.status !== answer.status) {
          problem(`${error._tag} is answered ${answer.status}, not ${cls.metadata.status}`)
        }
        const headerId = answer.headers["x-request-id"]
        const bodyId = format.carries.requestIdInBody ? error.requestId : undefined
        if (headerId !== undefined && bodyId !== undefined && bodyId !== headerId) {
          problem(`the body's request id ${error.requestId} is not the header's`)
        }
        if (JSON.stringify([error.message, error.fieldErrors]).toLowerCase().includes(canary)) {
          problem("the error's message quotes a value of the request")
        }
      }
    }
    if ((answer.status === 429 || answer.status === 503) && answer.headers["retry-after"] === undefined) {
      problem(`${answer.status} without Retry-After`)
    }
    if (answer.status === 405 && answer.headers["allow"] === undefined) problem("405 without Allow")
  } else if (answer.status < 400) {
    if (endpoint === undefined) problem(`${answer.status} for a request no endpoint serves`)
    else if (!endpoint.successStatuses.has(answer.status)) problem(`${answer.status} is not a success status of ${endpoint.name}`)
  }

  const requestId = answer.headers["x-request-id"]
  const sentId = header(request, "x-request-id")
  if (requestId === undefined) problem("no X-Request-ID")
  else if (!requestIdShape.test(requestId)) problem(`X-Request-ID ${JSON.stringify(requestId)} is not well formed`)
  else if (sentId !== undefined && requestIdShape.test(sentId) && requestId !== sentId && !refused) {
    problem(`X-Request-ID ${requestId} is not the caller's ${sentId}`)
  }

  const fault = context.faults && decoded !== undefined && endpoint?.handlerFaults.has(decoded._tag) === true
  if (answer.status === 500 && !fault) problem("500: the server failed")

  if (!refused && !head && documented(request.target)) {
    const verdict = Conformance.verdict(context.document, {
      ...answer,
      request: { method: request.method, url: asRouted(request.target) }
    })
    if (verdict._tag === "Differs") problem(`not as the OpenAPI document says: ${verdict.problem}`)
    if (verdict._tag === "NoOperation" && answer.status < 300) {
      problem(`${answer.status} for ${request.method} on a path the document does not have`)
    }
  }
  return found
}
