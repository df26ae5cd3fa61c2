/**
 * The middleware every request of an Errata server passes through, and the mark its handlers leave.
 */
import type { HttpApi, HttpApp } from "@effect/platform"
import {
  FileSystem,
  HttpApiBuilder,
  HttpIncomingMessage,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Catalog, CatalogError, WireFormat } from "@errata/domain"
import { Cause, Context, Duration, Effect, Exit, FiberId, HashSet, Option } from "effect"
import { IncomingMessage } from "node:http"
import { ErrataConfig } from "../ErrataConfig.js"
import { RateLimit } from "../RateLimit.js"
import * as RequestId from "../RequestId.js"
import * as DebugInfo from "./debugInfo.js"
import type { Classified } from "./failure.js"
import { BodyRejected, classify, noRoute, rateLimited, RequestTimedOut } from "./failure.js"
import * as RouteTable from "./routeTable.js"

/**
 * A request's state, shared by the middleware and the handler: the middleware gives the deadline; the handler marks
 * that the request reached it (a decode failure after that is the handler's invalid success value, not the caller's
 * invalid input) and starts the deadline's timer, which marks the request timed out when it fires.
 */
export class HandlerState extends Context.Tag("errata/HandlerState")<HandlerState, {
  readonly timeout: number
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
 * long poll) keep their own time.
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
    return handler
  })

const bodyMethods = new Set(["POST", "PUT", "PATCH"])
const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** A body that is refused before it is read: declared larger than the limit, or not JSON. */
const checkBody = (request: HttpServerRequest.HttpServerRequest, maxBodyBytes: number): BodyRejected | undefined => {
  const length = request.headers["content-length"]
  if (length !== undefined && Number(length) > maxBodyBytes) return new BodyRejected({ reason: "too_large" })
  if (!bodyMethods.has(request.method)) return undefined
  const hasBody = (length !== undefined && length !== "0") || request.headers["transfer-encoding"] !== undefined
  const contentType = request.headers["content-type"]
  if (hasBody && contentType !== undefined && !jsonType.test(contentType)) {
    return new BodyRejected({ reason: "unsupported_media_type", contentType })
  }
  return undefined
}

/** Whether a JSON text nests arrays and objects deeper than `max`; a linear scan, before anything parses it. */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > max) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

const isJsonBody = (request: HttpServerRequest.HttpServerRequest) => {
  const contentType = request.headers["content-type"]
  return bodyMethods.has(request.method) && (contentType === undefined || jsonType.test(contentType))
}

/** Whether a request failed only because its caller closed the connection (the platform then interrupts it). */
const hungUp = (cause: Cause.Cause<unknown>) =>
  Cause.isInterruptedOnly(cause) && HashSet.has(Cause.interruptors(cause), HttpServerError.clientAbortFiberId)

/**
 * Reads a body sent without `Content-Length` (chunked) up to the limit, itself: HttpApi's reader destroys the socket
 * when a body passes the limit, which would leave the caller without an answer. Past the limit the rest is
 * discarded and the request refused; within it, the handler sees the request with that text as its body.
 */
const readChunkedBody = (request: HttpServerRequest.HttpServerRequest, maxBodyBytes: number) => {
  const incoming = (request as { readonly source?: unknown }).source
  if (!(incoming instanceof IncomingMessage) || request.headers["content-length"] !== undefined) {
    return Effect.succeed(request)
  }
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
      const text = Effect.succeed(Buffer.concat(chunks).toString("utf8"))
      resume(Effect.succeed(Object.create(request, { text: { value: text } })))
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
 * Refuses a JSON body nested deeper than the limit before a schema sees it (formatting a decode error of a value
 * nested 50,000 levels deep overflows the stack). A body that cannot be read is left for the handler to fail on.
 */
const guardDepth = (request: HttpServerRequest.HttpServerRequest, maxJsonDepth: number) =>
  Effect.flatMap(
    Effect.option(request.text),
    (text) =>
      Option.isSome(text) && nestsDeeperThan(text.value, maxJsonDepth)
        ? Effect.fail(new BodyRejected({ reason: "too_deep" }))
        : Effect.void
  )

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
    yield* checkCarriable(api, config.formats)
    const rateLimit = yield* Effect.serviceOption(RateLimit)
    const router = yield* HttpApiBuilder.Router
    const maxBodySize = Option.some(FileSystem.Size(config.maxBodyBytes))
    const timeout = Duration.toMillis(config.handlerTimeout)
    // Read at the first request, once every route has been added.
    let routes: RouteTable.RouteTable | undefined

    return (app: HttpApp.Default): HttpApp.Default =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const requestId = RequestId.fromHeader(request.headers["x-request-id"])
        const format = config.formatFor(request.headers.accept)
        routes ??= RouteTable.make(yield* router.router)

        const decision = Option.isSome(rateLimit) ? yield* rateLimit.value.check(request) : undefined
        const limitHeaders = decision?.headers ?? {}
        let failure: Classified
        let rejected: BodyRejected | undefined
        if (decision !== undefined && !decision.allowed) {
          failure = rateLimited(decision.retryAfter)
        } else if (!routes.serves(request.method, request.url)) {
          failure = noRoute(routes.allowedMethods(request.url))
        } else {
          const state: HandlerState["Type"] = { timeout, entered: false, timedOut: false, timer: undefined }
          rejected = checkBody(request, config.maxBodyBytes)
          const handled = rejected !== undefined
            ? Effect.fail(rejected)
            : isJsonBody(request)
            ? Effect.flatMap(readChunkedBody(request, config.maxBodyBytes), (read) =>
              guardDepth(read, config.maxJsonDepth).pipe(
                Effect.zipRight(app),
                Effect.provideService(HttpServerRequest.HttpServerRequest, read)
              ))
            : app
          // One small context, merged once into the request's (each `Context.add` would copy the whole map).
          const exit: Exit.Exit<HttpServerResponse.HttpServerResponse, unknown> = yield* Effect.exit(
            Effect.provide(
              handled,
              Context.make(RequestId.CurrentRequestId, requestId).pipe(
                Context.add(HandlerState, state),
                Context.add(HttpIncomingMessage.MaxBodySize, maxBodySize)
              )
            )
          )
          clearTimeout(state.timer)
          if (Exit.isSuccess(exit)) {
            return HttpServerResponse.setHeaders(exit.value, { ...limitHeaders, "x-request-id": requestId })
          }
          if (!state.timedOut && hungUp(exit.cause)) {
            // Nobody is left to answer, and nothing went wrong on our side: a note, not an error response.
            yield* Effect.logInfo({
              message: "request aborted by the caller",
              status: 499,
              request_id: requestId,
              method: request.method,
              path: RouteTable.pathOf(request.url)
            })
            return HttpServerResponse.empty({ status: 499 })
          }
          const cause = state.timedOut && Exit.isInterrupted(exit) ? Cause.fail(new RequestTimedOut()) : exit.cause
          failure = classify(cause, {
            format,
            handlerEntered: state.entered,
            maxBodyBytes: config.maxBodyBytes,
            maxJsonDepth: config.maxJsonDepth
          })
        }

        const { error } = failure
        const { code, status } = CatalogError.metadataOf(error)
        const path = RouteTable.pathOf(request.url)
        // The fields go in the message object, which Logging.jsonLine spreads flat: cheaper than Effect.annotateLogs.
        const fields = { message: "request failed", error_code: code, status, request_id: requestId, method: request.method, path }
        yield* (status >= 500 ? Effect.logError : Effect.logWarning)(fields, failure.internal ?? Cause.empty)

        const debug = config.debug && DebugInfo.isRequested(request)
          ? yield* DebugInfo.make({ request, error, internal: failure.internal, readBody: rejected === undefined })
          : undefined
        const wire = format.encode(error, {
          requestId,
          ...(status === 429 || status === 503 ? { retryAfter: 1 } : {}),
          ...(debug !== undefined ? { debug } : {})
        })
        const { "content-type": contentType, ...headers } = wire.headers
        // The body as text, not bytes: Node writes it in one piece with the head, without a TextEncoder pass.
        return HttpServerResponse.raw(wire.body, {
          status: wire.status,
          contentType,
          contentLength: Buffer.byteLength(wire.body),
          headers: { ...limitHeaders, ...failure.headers, ...headers }
        })
      })
  })
