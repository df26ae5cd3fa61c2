/**
 * The middleware every request of an Errata server passes through, and the mark its handlers leave.
 */
import type { HttpApi, HttpApp } from "@effect/platform"
import {
  Cookies,
  FileSystem,
  HttpApiBuilder,
  HttpApp as HttpApps,
  HttpIncomingMessage,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Authentication, Catalog, CatalogError, Idempotency as IdempotencyHeader, WireFormat } from "@errata/domain"
import { Conflict, InvalidRequest, ServiceUnavailable, UnprocessableEntity } from "@errata/domain/Errors"
import { Cause, Clock, Context, Data, Duration, Effect, Either, Exit, Fiber, FiberId, FiberRef, HashSet, Option, Runtime } from "effect"
import { createHash, randomUUID } from "node:crypto"
import { IncomingMessage } from "node:http"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import { Admission, type Ticket } from "../Admission.js"
import { ErrataConfig } from "../ErrataConfig.js"
import { ErrorHeaders } from "../ErrorHeaders.js"
import * as Idempotency from "../Idempotency.js"
import type { Decision as RateLimitDecision } from "../RateLimit.js"
import { RateLimit } from "../RateLimit.js"
import * as RequestId from "../RequestId.js"
import * as DebugInfo from "./debugInfo.js"
import * as NodeServer from "./nodeServer.js"
import type { Classified } from "./failure.js"
import {
  answer,
  BodyRejected,
  classify,
  internal,
  noRoute,
  rateLimited,
  RequestTimedOut,
  unavailable
} from "./failure.js"
import * as RejectionLog from "./rejectionLog.js"
import * as RequestValidation from "./requestValidation.js"
import * as RouteTable from "./routeTable.js"
import * as Telemetry from "./telemetry.js"

/**
 * A request with an `Idempotency-Key`, between the middleware, which reads the key and fingerprints the request, and
 * the handler, which claims the key for its principal before it runs (only then is the principal known).
 */
interface IdempotentRequest {
  readonly key: string
  /** The claim's owner: this request, in the store's eyes. */
  readonly owner: string
  fingerprint: string
  /** Claims the key for the principal; the scope it was claimed under is kept, to store or release the claim. */
  readonly claim: (principal: string) => Effect.Effect<void, CatalogError.CatalogError | IdempotentReplay>
  scope: string | undefined
}

/** The failure that answers a repeat with the first request's stored response. */
class IdempotentReplay extends Data.TaggedError("IdempotentReplay")<{ readonly response: Idempotency.StoredResponse }> {}

/**
 * A request's state, shared by the middleware and the handler: the middleware gives the deadline and what it knows
 * of the endpoint; the handler marks that the request reached it (a decode failure after that is the handler's
 * invalid success value, not the caller's invalid input), starts the deadline's timer, which marks the request timed
 * out when it fires, and claims the request's idempotency key.
 */
export class HandlerState extends Context.Tag("errata/HandlerState")<HandlerState, {
  readonly timeout: number
  readonly endpoint: RouteTable.Endpoint | undefined
  readonly idempotency: IdempotentRequest | undefined
  entered: boolean
  timedOut: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}>() {}

/**
 * A handler as an Errata server runs it: marked as reached, and under the handler deadline. Past the deadline the
 * timer interrupts the fiber the handler runs in — HttpApi runs a route's handler interruptible inside an otherwise
 * uninterruptible request — so the handler stops where it is and its finalizers run, while the middleware, which
 * the interruption does not reach, answers 504. No second fiber: forking one per request only to interrupt it costs
 * more than the rest of an error response. Only handlers have the deadline: routes beside the API (a mounted app, a
 * long poll) keep their own time. A request with an idempotency key claims it here, once authentication has told
 * who the principal is.
 */
export const marked = <A, E, R>(handler: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const found = Context.getOption(fiber.currentContext, HandlerState)
    if (Option.isNone(found)) return handler
    const state = found.value
    state.entered = true
    state.timer = setTimeout(() => {
      state.timedOut = true
      fiber.unsafeInterruptAsFork(FiberId.none)
    }, state.timeout)
    if (state.idempotency === undefined) return handler
    const principal = Context.getOption(fiber.currentContext, Authentication.CurrentPrincipal)
    const scope = Option.isSome(principal) ? `${principal.value.kind}:${principal.value.subject}` : "anonymous"
    return Effect.zipRight(state.idempotency.claim(scope) as Effect.Effect<void, E>, handler)
  })

const bodyMethods = new Set(["POST", "PUT", "PATCH"])
const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"])
const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** Whether a content type (parameters aside) is one the endpoint's body may have. */
const takes = (endpoint: RouteTable.Endpoint, contentType: string) => {
  const base = contentType.split(";")[0]!.trim().toLowerCase()
  return endpoint.contentTypes.has(base) || (endpoint.contentTypes.has("application/json") && jsonType.test(contentType))
}

/**
 * A body that is refused before it is read: declared larger than the limit (whatever the route), or of a content
 * type the endpoint does not take (routes beside the API take what they take).
 */
const checkBody = (
  request: HttpServerRequest.HttpServerRequest,
  maxBodyBytes: number,
  endpoint: RouteTable.Endpoint | undefined
): BodyRejected | undefined => {
  const length = request.headers["content-length"]
  if (length !== undefined && Number(length) > maxBodyBytes) return new BodyRejected({ reason: "too_large" })
  // An endpoint that takes no body ignores one: its operation documents no content type to refuse it for.
  if (endpoint === undefined || endpoint.contentTypes.size === 0 || !bodyMethods.has(request.method)) return undefined
  const hasBody = (length !== undefined && length !== "0") || request.headers["transfer-encoding"] !== undefined
  const contentType = request.headers["content-type"]
  // A body without a content type is taken for JSON, by an endpoint that takes JSON.
  const taken = contentType === undefined ? endpoint.contentTypes.has("application/json") : takes(endpoint, contentType)
  if (hasBody && !taken) {
    return new BodyRejected({ reason: "unsupported_media_type", accepted: Array.from(endpoint.contentTypes) })
  }
  return undefined
}

/** The code unit of a `\uXXXX` escape at `i` (the backslash), or -1 where there is none. */
const escapedUnit = (text: string, i: number) =>
  text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 117 && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))
    ? parseInt(text.slice(i + 2, i + 6), 16)
    : -1

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff

/**
 * What is wrong with a JSON text before anything parses it, in one linear scan: arrays and objects nested deeper
 * than `maxDepth`, or a string with a lone surrogate escape (`"\ud800"`), which would be stored as text no encoding
 * can write. Malformed JSON is left to the parser.
 */
const jsonTextProblem = (text: string, maxDepth: number): "too_deep" | "lone_surrogate" | undefined => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) {
        const unit = escapedUnit(text, i)
        if (unit === -1) {
          i++ // an escaped character
        } else if (isHigh(unit)) {
          if (!isLow(escapedUnit(text, i + 6))) return "lone_surrogate"
          i += 11
        } else if (isLow(unit)) {
          return "lone_surrogate"
        } else {
          i += 5
        }
      } else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return "too_deep"
    } else if (c === 125 || c === 93) depth--
  }
  return undefined
}

/** Bytes as UTF-8 text; `undefined` where they are not UTF-8 (never replaced with U+FFFD). */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
const utf8Text = (bytes: Uint8Array): string | undefined => {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

const isJsonBody = (request: HttpServerRequest.HttpServerRequest, endpoint: RouteTable.Endpoint | undefined) => {
  if (endpoint === undefined || endpoint.contentTypes.size === 0 || !bodyMethods.has(request.method)) return false
  const contentType = request.headers["content-type"]
  return contentType === undefined || jsonType.test(contentType)
}

/** The idempotency key of a request, checked: a failure for a key too long, or none where the endpoint requires one. */
const keyOf = (
  request: HttpServerRequest.HttpServerRequest,
  endpoint: RouteTable.Endpoint | undefined
): string | Classified | undefined => {
  if (endpoint === undefined || endpoint.keyIgnored || !unsafeMethods.has(request.method)) return undefined
  const key = request.headers["idempotency-key"]
  if (key === undefined) {
    return endpoint.keyRequired
      ? answer(new InvalidRequest({ message: "This endpoint requires an Idempotency-Key header" }, true))
      : undefined
  }
  return key.length === 0 || key.length > IdempotencyHeader.maxKeyLength
    ? answer(new InvalidRequest({ message: `An Idempotency-Key has 1 to ${IdempotencyHeader.maxKeyLength} characters` }, true))
    : key
}

/** The fingerprint of a request with a key: its method, URL (path and query) and body, hashed. */
const fingerprintOf = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.map(
    bodyMethods.has(request.method) ? Effect.orElseSucceed(request.text, () => "") : Effect.succeed(""),
    (body) => createHash("sha256").update(`${request.method} ${request.url}\n${body}`).digest("hex")
  )

/**
 * Whether an error response is kept for repeats of its request: not the caller's own mistakes to fix (validation),
 * nor the failures a retry is for (429, 502, 503, 504).
 */
const keptForRepeats = (error: CatalogError.CatalogError) => {
  const { category, retry } = CatalogError.metadataOf(error)
  return category !== "validation" && retry !== "with_backoff"
}

/** A success response as it is stored, when its body is in memory (a stream is not kept). */
const storable = (response: HttpServerResponse.HttpServerResponse): Idempotency.StoredResponse | undefined => {
  const body = response.body
  const stored = body._tag === "Empty"
    ? { body: "" }
    : body._tag === "Uint8Array"
    ? { body: Buffer.from(body.body).toString("base64"), base64: true }
    : body._tag === "Raw" && typeof body.body === "string"
    ? { body: body.body }
    : undefined
  if (stored === undefined) return undefined
  const contentType = body._tag === "Empty" ? undefined : body.contentType
  return {
    status: response.status,
    headers: { ...response.headers, ...(contentType !== undefined ? { "content-type": contentType } : {}) },
    ...stored,
    ...(Cookies.isEmpty(response.cookies) ? {} : { cookies: Cookies.toSetCookieHeaders(response.cookies) })
  }
}

/** A stored response, sent again. */
const replayed = (stored: Idempotency.StoredResponse, headers: Readonly<Record<string, string>>) => {
  const { "content-type": contentType, ...own } = stored.headers
  const body = stored.base64 === true ? Buffer.from(stored.body, "base64") : stored.body
  const response = typeof body === "string"
    ? HttpServerResponse.raw(body, { status: stored.status, ...(contentType !== undefined ? { contentType } : {}) })
    : HttpServerResponse.uint8Array(body, { status: stored.status, ...(contentType !== undefined ? { contentType } : {}) })
  const withHeaders = HttpServerResponse.setHeaders(response, { ...own, ...headers })
  return stored.cookies === undefined
    ? withHeaders
    : HttpServerResponse.mergeCookies(withHeaders, Cookies.fromSetCookie(stored.cookies))
}

/**
 * The response as the caller will get it, with the headers and cookies the handler added through pre-response
 * handlers (a `Set-Cookie`, a `Cache-Control`): what a repeat must get too.
 */
const asSent = (request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse) =>
  Effect.flatMap(FiberRef.get(HttpApps.currentPreResponseHandlers), (handler) =>
    Option.isSome(handler) ? Effect.orElseSucceed(handler.value(request, response), () => response) : Effect.succeed(response))

/** Whether a request failed only because its caller closed the connection (the platform then interrupts it). */
const hungUp = (cause: Cause.Cause<unknown>) =>
  Cause.isInterruptedOnly(cause) && HashSet.has(Cause.interruptors(cause), HttpServerError.clientAbortFiberId)

/**
 * Reads a JSON body itself, up to the limit, and checks its text before HttpApi parses it. HttpApi's reader destroys
 * the socket when a chunked body passes the limit, which would leave the caller without an answer, and replaces
 * bytes that are not UTF-8 with U+FFFD, which would store what the caller never sent. Past the limit the rest is
 * discarded and the request refused (413); bytes that are not UTF-8, a lone surrogate escape or nesting deeper than
 * the limit are refused as a malformed body (400). Otherwise the handler sees the request with that text as its body.
 */
const readJsonBody = (request: HttpServerRequest.HttpServerRequest, maxBodyBytes: number, maxJsonDepth: number) => {
  const incoming = (request as { readonly source?: unknown }).source
  if (!(incoming instanceof IncomingMessage)) return Effect.succeed(request)
  return Effect.async<HttpServerRequest.HttpServerRequest, BodyRejected>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const stop = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBodyBytes) return void chunks.push(chunk)
      stop()
      incoming.resume()
      resume(Effect.fail(new BodyRejected({ reason: "too_large" })))
    }
    const onEnd = () => {
      stop()
      const bytes = Buffer.concat(chunks)
      const text = utf8Text(bytes)
      const problem = text === undefined ? "not_utf8" : jsonTextProblem(text, maxJsonDepth)
      resume(
        problem !== undefined
          ? Effect.fail(new BodyRejected({ reason: problem }))
          : Effect.succeed(withJsonBody(request, text!, bytes))
      )
    }
    const onError = () => {
      stop()
      resume(Effect.succeed(request))
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
  })
}

/**
 * The request with the JSON body the middleware read, however HttpApi reads it again: as text, as bytes, and — for a
 * JSON type of another name, such as `application/merge-patch+json`, which HttpApi would read as bytes from a stream
 * already consumed, waiting for ever — with `Content-Type: application/json`, so that it is parsed as JSON.
 */
const withJsonBody = (request: HttpServerRequest.HttpServerRequest, text: string, bytes: Buffer) => {
  const contentType = request.headers["content-type"]
  const named = contentType === undefined || contentType.toLowerCase().includes("application/json")
  return Object.create(request, {
    text: { value: Effect.succeed(text) },
    arrayBuffer: { value: Effect.succeed(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) },
    ...(named ? {} : { headers: { value: { ...request.headers, "content-type": "application/json" } } })
  }) as HttpServerRequest.HttpServerRequest
}

/**
 * Every error class of the API must be one each format in use can carry: a class whose own field is named like a
 * member of a format's envelope is refused when the server starts, not when the error is first sent.
 */
const checkCarriable = (api: HttpApi.HttpApi.Any, formats: ReadonlyArray<WireFormat.Any>) => {
  const classes = Catalog.fromApi(api).errors
  for (const format of formats) {
    const clash = WireFormat.clashes(format.envelope, classes)[0]
    if (clash !== undefined) {
      return Effect.dieMessage(
        `Errata: the ${format.name} format cannot carry ${clash.tag}: its field "${clash.field}" is a member of the envelope`
      )
    }
  }
  return Effect.void
}

/** The middleware of an Errata server for `api`, for `HttpApiBuilder.middleware`. */
export const make = (api: HttpApi.HttpApi.Any) =>
  Effect.gen(function*() {
    const config = yield* ErrataConfig
    const endpoints = RouteTable.endpointsOf(api)
    const overrides = Array.from(endpoints.values()).flatMap(({ format }) => format === undefined ? [] : [format])
    yield* checkCarriable(api, [...config.formats, ...overrides])
    const admission = Option.getOrUndefined(yield* Effect.serviceOption(Admission))
    const rateLimit = yield* Effect.serviceOption(RateLimit)
    const idempotency = Option.getOrUndefined(yield* Effect.serviceOption(Idempotency.Idempotency))
    const errorHeaders = Option.getOrUndefined(yield* Effect.serviceOption(ErrorHeaders))
    const router = yield* HttpApiBuilder.Router
    const telemetry = yield* Telemetry.Enabled
    const maxBodySize = Option.some(FileSystem.Size(config.maxBodyBytes))
    const timeout = Duration.toMillis(config.handlerTimeout)
    // Read at the first request, once every route has been added.
    let routes: RouteTable.RouteTable | undefined

    /** Claims a key for a principal, in the store; a store that cannot be reached refuses the request. */
    const claimer = (store: Idempotency.Store, ttl: number, idempotent: IdempotentRequest) => (principal: string) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const scope = `${principal}\n${idempotent.key}`
        const claimed = yield* Effect.either(store.claim({
          scope,
          owner: idempotent.owner,
          fingerprint: idempotent.fingerprint,
          now,
          expiresAt: now + ttl,
          staleBefore: now - 2 * timeout
        }))
        if (Either.isLeft(claimed)) {
          yield* Effect.logWarning("idempotency store unavailable; request refused", Cause.fail(claimed.left.cause))
          return yield* Effect.fail(
            new ServiceUnavailable({ message: "The request could not be checked for repeats; try again", retryAfter: 1 })
          )
        }
        switch (claimed.right._tag) {
          case "Claimed":
            idempotent.scope = scope
            return
          case "Replay":
            return yield* Effect.fail(new IdempotentReplay({ response: claimed.right.response }))
          case "Running":
            return yield* Effect.fail(new Conflict({ message: "A request with this Idempotency-Key is still being processed" }))
          case "Mismatch":
            return yield* Effect.fail(new UnprocessableEntity({ message: "This Idempotency-Key was used for another request" }))
        }
      })

    /** Keeps a claimed request's response for its repeats, or forgets the claim; a store error is only logged. */
    const settle = (idempotent: IdempotentRequest | undefined, response: Idempotency.StoredResponse | undefined) => {
      if (idempotency === undefined || idempotent?.scope === undefined) return Effect.void
      const { owner, scope } = idempotent
      return Effect.flatMap(Clock.currentTimeMillis, (now) =>
        response === undefined
          ? idempotency.store.release(scope, owner)
          : idempotency.store.complete(scope, owner, response, { now, expiresAt: now + Duration.toMillis(idempotency.ttl) })).pipe(
          Effect.catchAll((error) => Effect.logWarning("idempotency store unavailable; response not kept", Cause.fail(error.cause)))
        )
    }

    /** An error's body in `format`; a 429 or 503 carries a retry delay even when its error has none. */
    const encode = (
      format: WireFormat.Any,
      error: CatalogError.CatalogError,
      status: number,
      requestId: string,
      debug: WireFormat.EncodeOptions["debug"]
    ) =>
      format.encode(error, {
        requestId,
        ...(status === 429 || status === 503 ? { retryAfter: 1 } : {}),
        ...(debug !== undefined ? { debug } : {})
      })

    /** The response carrying `wire`, with the rate-limit headers, the failure's own, and `extra` (`ErrorHeaders`'). */
    const failureResponse = (
      wire: WireFormat.WireResponse,
      limitHeaders: Readonly<Record<string, string>>,
      failure: Classified,
      extra: Readonly<Record<string, string>> | undefined
    ) => {
      const { "content-type": contentType, ...headers } = wire.headers
      // The body as text, not bytes: Node writes it in one piece with the head, without a TextEncoder pass.
      return HttpServerResponse.raw(wire.body, {
        status: wire.status,
        contentType,
        contentLength: Buffer.byteLength(wire.body),
        headers: { ...limitHeaders, ...failure.headers, ...extra, ...headers }
      })
    }

    /**
     * The log line of an error response. The fields go in the message object, which Logging.jsonLine spreads flat:
     * cheaper than Effect.annotateLogs.
     */
    const failureLine = (request: HttpServerRequest.HttpServerRequest, requestId: string, code: string, status: number) => ({
      message: "request failed",
      error_code: code,
      status,
      request_id: requestId,
      method: request.method,
      path: RouteTable.pathOf(request.url)
    })

    // The platform runs a request uninterruptibly, and the router its route interruptibly: only the route (reading the
    // body, the handler) can be interrupted, by the caller hanging up or by the deadline.
    const serve = (
      app: HttpApp.Default,
      request: HttpServerRequest.HttpServerRequest,
      ticket: Ticket | undefined,
      decision: RateLimitDecision | undefined,
      preset?: Classified
    ) =>
      Effect.gen(function*() {
        const requestId = RequestId.fromHeader(request.headers["x-request-id"])
        routes ??= RouteTable.make(yield* router.router, endpoints)
        const route = routes.find(request.method, request.url)
        const endpoint = route?.endpoint
        const format = endpoint?.format ?? config.formatFor(request.headers.accept)

        const limitHeaders = decision?.headers ?? {}
        const key = keyOf(request, endpoint)
        let failure: Classified
        let rejected: BodyRejected | undefined
        let idempotent: IdempotentRequest | undefined
        // The request as the handler sees it: with its JSON body read, once that is done; unreadable once refused.
        let read = request
        let bodyReadable = true
        if (preset !== undefined) {
          failure = preset
        } else if (route === undefined) {
          failure = noRoute(routes.allowedMethods(request.url))
        } else if (key !== undefined && typeof key !== "string") {
          failure = key
        } else {
          if (typeof key === "string" && idempotency !== undefined) {
            const request: IdempotentRequest = {
              key,
              owner: randomUUID(),
              fingerprint: "",
              scope: undefined,
              claim: () => Effect.void
            }
            idempotent = Object.assign(request, {
              claim: claimer(idempotency.store, Duration.toMillis(idempotency.ttl), request)
            })
          }
          const state: HandlerState["Type"] = {
            timeout,
            endpoint,
            idempotency: idempotent,
            entered: false,
            timedOut: false,
            timer: undefined
          }
          rejected = checkBody(request, config.maxBodyBytes, endpoint)
          const withRequest = (readRequest: HttpServerRequest.HttpServerRequest) => {
            read = readRequest
            const fingerprinted = idempotent === undefined
              ? app
              : Effect.zipRight(Effect.map(fingerprintOf(readRequest), (hash) => void (idempotent!.fingerprint = hash)), app)
            return readRequest === request
              ? fingerprinted
              : Effect.provideService(fingerprinted, HttpServerRequest.HttpServerRequest, readRequest)
          }
          const handled = rejected !== undefined
            ? Effect.fail(rejected)
            : isJsonBody(request, endpoint)
            ? Effect.flatMap(
              Effect.tapError(readJsonBody(request, config.maxBodyBytes, config.maxJsonDepth), () =>
                Effect.sync(() => void (bodyReadable = false))),
              withRequest
            )
            : withRequest(request)
          // One small context, merged once into the request's (each `Context.add` would copy the whole map).
          const run = Effect.exit(Effect.provide(
            handled,
            Context.make(RequestId.CurrentRequestId, requestId).pipe(
              Context.add(HandlerState, state),
              Context.add(HttpIncomingMessage.MaxBodySize, maxBodySize)
            )
          ))
          // A request with a key runs in a fiber of its own, outside this one's children (whom an interruption reaches
          // at once), so the caller hanging up does not stop it: it runs to its end (or to the deadline), and its
          // response is kept for the retry.
          const exit: Exit.Exit<HttpServerResponse.HttpServerResponse, unknown> = idempotent === undefined
            ? yield* run
            : yield* Fiber.join(yield* Effect.forkDaemon(run))
          clearTimeout(state.timer)
          if (Exit.isSuccess(exit)) {
            if (idempotent?.scope !== undefined) yield* settle(idempotent, storable(yield* asSent(request, exit.value)))
            return HttpServerResponse.setHeaders(exit.value, { ...limitHeaders, "x-request-id": requestId })
          }
          const replay = Option.filter(Cause.failureOption(exit.cause), (error) => error instanceof IdempotentReplay)
          if (Option.isSome(replay)) {
            const stored = (replay.value as IdempotentReplay).response
            yield* Effect.logInfo({
              message: "request replayed",
              status: stored.status,
              request_id: requestId,
              method: request.method,
              path: RouteTable.pathOf(request.url)
            })
            return replayed(stored, { ...limitHeaders, "idempotent-replayed": "true", "x-request-id": requestId })
          }
          if (!state.timedOut && hungUp(exit.cause)) {
            yield* settle(idempotent, undefined)
            // Nobody is left to answer, and nothing went wrong on our side: a note, not an error response. A
            // connection the HTTP server answered and closed itself (a timeout, shutdown) was logged there.
            if (!NodeServer.answeredByServer(request)) {
              yield* Effect.logInfo({
                message: "request aborted by the caller",
                status: 499,
                request_id: requestId,
                method: request.method,
                path: RouteTable.pathOf(request.url)
              })
            }
            return HttpServerResponse.empty({ status: 499 })
          }
          const cause = state.timedOut && Exit.isInterrupted(exit) ? Cause.fail(new RequestTimedOut()) : exit.cause
          const refused = !state.entered && endpoint !== undefined &&
            Option.exists(Cause.failureOption(cause), (error) => error instanceof HttpApiDecodeError)
          failure = classify(cause, {
            format,
            handlerEntered: state.entered,
            maxBodyBytes: config.maxBodyBytes,
            maxJsonDepth: config.maxJsonDepth,
            violations: refused
              ? yield* RequestValidation.violations(endpoint.schemas, read, routes.params(request.method, request.url))
              : undefined
          })
        }

        const { error } = failure
        const { code, status } = CatalogError.metadataOf(error)
        // A request admission turned away is the server protecting itself, not failing: a warning, not an error.
        const failed = status >= 500 && ticket?.admitted !== false
        yield* (failed ? Effect.logError : Effect.logWarning)(
          failureLine(request, requestId, code, status),
          failure.internal ?? Cause.empty
        )
        if (telemetry) yield* Telemetry.failed(code, status, requestId)

        const debug = config.debug && DebugInfo.isRequested(request)
          ? yield* DebugInfo.make({ request: read, error, internal: failure.internal, readBody: rejected === undefined && bodyReadable })
          : undefined
        const wire = encode(format, error, status, requestId, debug)
        const extra = errorHeaders?.(error)
        if (idempotent?.scope !== undefined) {
          // Kept without the debug details: a repeat gets the answer, not what its first request asked to see.
          const kept = debug === undefined ? wire : encode(format, error, status, requestId, undefined)
          yield* settle(
            idempotent,
            keptForRepeats(error) ? { status, headers: { ...extra, ...failure.headers, ...kept.headers }, body: kept.body } : undefined
          )
        }
        return failureResponse(wire, limitHeaders, failure, extra)
      })

    const runtime = yield* Effect.runtime<never>()
    const rejections = RejectionLog.make((skipped) =>
      Runtime.runFork(runtime)(Effect.forEach(skipped, ({ code, count, status }) =>
        Effect.logWarning({ message: "requests turned away, not logged one by one", error_code: code, status, count }), {
        discard: true
      }))
    )

    /**
     * A request turned away before routing (admission, the rate limit), answered without the work a routed request
     * needs: no fiber, no generator, the answer encoded at once, and logged as sampled by `rejections`.
     */
    const turnAway = (
      app: HttpApp.Default,
      request: HttpServerRequest.HttpServerRequest,
      failure: Classified,
      ticket: Ticket | undefined,
      decision: RateLimitDecision | undefined
    ): HttpApp.Default => {
      // The first request builds the route table; a caller asking for debug details gets them the usual way.
      if (routes === undefined || (config.debug && DebugInfo.isRequested(request))) {
        return serve(app, request, ticket, decision, failure)
      }
      const requestId = RequestId.fromHeader(request.headers["x-request-id"])
      const format = routes.find(request.method, request.url)?.endpoint?.format ?? config.formatFor(request.headers.accept)
      const { code, status } = CatalogError.metadataOf(failure.error)
      const response = failureResponse(
        encode(format, failure.error, status, requestId, undefined),
        decision?.headers ?? {},
        failure,
        errorHeaders?.(failure.error)
      )
      const logged = rejections.note(code, status, Date.now())
        ? Effect.logWarning(failureLine(request, requestId, code, status))
        : undefined
      const recorded = telemetry ? Telemetry.failed(code, status, requestId) : undefined
      const effects = logged === undefined ? recorded : recorded === undefined ? logged : Effect.zipRight(logged, recorded)
      return effects === undefined ? Effect.succeed(response) : Effect.as(effects, response)
    }

    /** Serves a request admission let in, or turns it away as the rate limit decided. */
    const decided = (
      app: HttpApp.Default,
      request: HttpServerRequest.HttpServerRequest,
      ticket: Ticket | undefined,
      decision: RateLimitDecision | undefined
    ): HttpApp.Default => {
      if (decision !== undefined && !decision.allowed) {
        if (ticket?.admitted === true) ticket.release?.()
        return turnAway(app, request, rateLimited(decision.retryAfter), undefined, decision)
      }
      return ticket?.admitted === true && ticket.release !== undefined
        ? Effect.ensuring(serve(app, request, ticket, decision), Effect.sync(ticket.release))
        : serve(app, request, ticket, decision)
    }

    const middleware = (app: HttpApp.Default): HttpApp.Default =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const ticket = admission?.enter(request)
        if (ticket !== undefined && !ticket.admitted) {
          return turnAway(app, request, unavailable(ticket.reason, ticket.retryAfter), ticket, undefined)
        }
        if (Option.isNone(rateLimit)) return decided(app, request, ticket, undefined)
        let decision: ReturnType<typeof rateLimit.value.check>
        try {
          decision = rateLimit.value.check(request)
        } catch (defect) {
          // A key function that throws is a defect of the service: 500, and the admission place given back.
          if (ticket?.admitted === true) ticket.release?.()
          return serve(app, request, undefined, undefined, internal(Cause.die(defect)))
        }
        return Effect.isEffect(decision)
          ? Effect.flatMap(decision, (decision) => decided(app, request, ticket, decision))
          : decided(app, request, ticket, decision)
      })
    if (!telemetry) return middleware
    const routeOf = (method: string, url: string) => routes?.find(method, url)?.path
    return (app: HttpApp.Default): HttpApp.Default => {
      const served = middleware(app)
      return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        Telemetry.measured(served, request, routeOf))
    }
  })
