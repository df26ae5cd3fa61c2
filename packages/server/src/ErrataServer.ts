/**
 * `ErrataServer` makes an `HttpApi` an Errata server: one middleware, wrapped around the whole API, through which
 * every request passes. It gives the request an id, applies rate limiting, answers requests no route serves (see
 * `RouteTable`), refuses bodies that are too large or not JSON, and turns whatever goes wrong into a catalog error
 * encoded in the configured wire format (RFC 9457 when `Accept` asks for `application/problem+json`), logged once
 * with the request id.
 *
 * Implement groups with `ErrataServer.group` rather than `HttpApiBuilder.group`: it is the same function, and it bounds
 * each handler's time (504 `timeout`) and lets the server tell a handler's invalid success value (500) from a caller's
 * invalid request (400/422).
 *
 * @since 0.1.0
 */
import type { HttpApp } from "@effect/platform"
import {
  FileSystem,
  HttpApiBuilder,
  HttpIncomingMessage,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { metadataOf } from "@errata/domain"
import { Cause, Chunk, Context, Duration, Effect, Exit, FiberId, HashSet, Layer, Option } from "effect"
import { IncomingMessage } from "node:http"
import * as DebugInfo from "./DebugInfo.js"
import { ErrataConfig } from "./ErrataConfig.js"
import { RateLimit } from "./RateLimit.js"
import * as RequestId from "./RequestId.js"
import * as RouteTable from "./RouteTable.js"
import type { Classified } from "./ServerFailure.js"
import { BodyRejected, classify, noRoute, rateLimited, RequestTimedOut } from "./ServerFailure.js"

/**
 * A request's handler state, shared by the middleware and the handler (see `group`): the middleware gives the
 * deadline; the handler marks that the request reached it and, when it outlives the deadline, that it timed out.
 *
 * @since 0.1.0
 */
export class HandlerEntry extends Context.Tag("errata/HandlerEntry")<HandlerEntry, {
  readonly timeout: Duration.Duration
  entered: boolean
  timedOut: boolean
  /** The deadline's timer: the middleware clears it once the request has its outcome. */
  timer: ReturnType<typeof setTimeout> | undefined
}>() {}

/**
 * A handler as an Errata server runs it: marked as reached, and with a deadline. Past the deadline the timer
 * interrupts the fiber the handler runs in — HttpApi runs it in the request's fiber, interruptible only inside the
 * route — so the handler stops where it is, its finalizers run, and the middleware, which the interruption does not
 * reach, answers 504. No second fiber: forking one per request, to interrupt it alone, held the declared-error
 * path at about 0.7 of HttpApi's native req/s under 50 connections, against about 0.95 without (`pnpm bench:server`).
 */
const guarded = <A, E, R>(handler: Effect.Effect<A, E, R>) =>
  Effect.withFiberRuntime<A, E, R>((fiber) => {
    const entry = Context.getOption(fiber.currentContext, HandlerEntry)
    if (Option.isNone(entry)) return handler
    const state = entry.value
    state.entered = true
    state.timer = setTimeout(() => {
      state.timedOut = true
      fiber.unsafeInterruptAsFork(FiberId.none)
    }, Duration.toMillis(state.timeout))
    return handler
  })

/**
 * `HttpApiBuilder.group`, with each handler marking that the request reached it.
 *
 * @since 0.1.0
 */
export const group: typeof HttpApiBuilder.group = (api, groupName, build) =>
  HttpApiBuilder.group(api, groupName, (handlers: any) => {
    const result: any = build(handlers)
    const mark = (built: any) =>
      Object.assign(Object.create(Object.getPrototypeOf(built)), built, {
        handlers: Chunk.map(built.handlers, (item: any) => ({
          ...item,
          handler: (request: unknown) => guarded(item.handler(request))
        }))
      })
    return Effect.isEffect(result) ? Effect.map(result, mark) : mark(result)
  }) as any

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

const wantsProblemDetails = (accept: string | undefined) =>
  accept !== undefined && accept.toLowerCase().includes("application/problem+json")

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
 * The middleware of an Errata server, for `HttpApiBuilder.middleware`; needs `ErrataConfig` and the `Router`.
 *
 * @since 0.1.0
 */
export const middleware = Effect.gen(function*() {
  const config = yield* ErrataConfig
  const rateLimit = yield* Effect.serviceOption(RateLimit)
  const router = yield* HttpApiBuilder.Router
  const maxBodySize = Option.some(FileSystem.Size(config.maxBodyBytes))
  // Read at the first request, once every route has been added.
  let routes: RouteTable.RouteTable | undefined

  return (app: HttpApp.Default): HttpApp.Default =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const requestId = RequestId.fromHeader(request.headers["x-request-id"])
      const format = wantsProblemDetails(request.headers.accept) ? config.problemDetails : config.format
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
        const entry: HandlerEntry["Type"] = {
          timeout: config.handlerTimeout,
          entered: false,
          timedOut: false,
          timer: undefined
        }
        // One small context, merged once into the request's (each `Context.add` would copy the whole map).
        const exit: Exit.Exit<HttpServerResponse.HttpServerResponse, unknown> = yield* Effect.exit(
          Effect.provide(
            handled,
            Context.make(RequestId.CurrentRequestId, requestId).pipe(
              Context.add(HandlerEntry, entry),
              Context.add(HttpIncomingMessage.MaxBodySize, maxBodySize)
            )
          )
        )
        clearTimeout(entry.timer)
        if (Exit.isSuccess(exit)) {
          return HttpServerResponse.setHeaders(exit.value, { ...limitHeaders, "x-request-id": requestId })
        }
        if (!entry.timedOut && hungUp(exit.cause)) {
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
        const cause = entry.timedOut && Exit.isInterrupted(exit) ? Cause.fail(new RequestTimedOut()) : exit.cause
        failure = classify(cause, {
          format,
          handlerEntered: entry.entered,
          maxBodyBytes: config.maxBodyBytes,
          maxJsonDepth: config.maxJsonDepth
        })
      }

      const { error } = failure
      const { code, status } = metadataOf(error)
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

/**
 * The Errata middleware as a layer for `HttpApiBuilder.serve`. Needs `ErrataConfig`; uses `RateLimit` when the
 * context has it.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<never, never, ErrataConfig> = HttpApiBuilder.middleware(middleware).pipe(
  Layer.provide(HttpApiBuilder.Router.Live)
)
