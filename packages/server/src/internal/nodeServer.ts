/**
 * The Node HTTP server under an Errata server (`NodeServer`): created with its limits, answering in the format what
 * Node's parser refuses, and draining on shutdown.
 */
import type { HttpApp } from "@effect/platform"
import { HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { CatalogError } from "@errata/domain"
import { BadRequest, ServiceUnavailable } from "@errata/domain/Errors"
import {
  ExpectationFailed,
  PayloadTooLarge,
  RequestHeaderFieldsTooLarge,
  RequestTimeout
} from "@errata/domain/FrameworkErrors"
import { Effect, Runtime } from "effect"
import type { ServerResponse } from "node:http"
import { createServer, IncomingMessage, STATUS_CODES } from "node:http"
import type { ListenOptions, Socket } from "node:net"
import { Server as NetServer } from "node:net"
import { ErrataConfig } from "../ErrataConfig.js"
import * as RequestId from "../RequestId.js"
import { pathOf } from "./routeTable.js"
import * as Telemetry from "./telemetry.js"

/** The server's limits, resolved, in bytes and milliseconds. */
export interface Limits {
  readonly maxHeaderBytes: number
  readonly headersTimeout: number
  readonly bodyTimeout: number
  readonly shutdownGrace: number
}

/**
 * Connections the server has answered itself and is closing: what Node's parser still makes of them is ignored, and
 * the request whose fiber the closing interrupts is not logged again as aborted by its caller.
 */
const answered = new WeakSet<Socket>()

/** Whether the server answered this request's connection itself (a timeout, the end of the shutdown grace period). */
export const answeredByServer = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const source = (request as { readonly source?: unknown }).source
  return source instanceof IncomingMessage && answered.has(source.socket as Socket)
}

/** The response Node is writing on a connection, if any: Node keeps it there, and offers no public accessor. */
const responseOn = (socket: Socket): ServerResponse | undefined =>
  (socket as { readonly _httpMessage?: ServerResponse | null })._httpMessage ?? undefined

const header = (request: IncomingMessage | undefined, name: string): string | undefined => {
  const value = request?.headers[name]
  return typeof value === "string" ? value : undefined
}

const seconds = (millis: number) => `${millis / 1000} second${millis === 1000 ? "" : "s"}`

/**
 * Node checks the headers and request timeouts of its connections on an interval (30 seconds by default): a tenth
 * of the shorter timeout keeps a cut-off within a tenth of its time, at most once per second, at least every 50 ms.
 */
const checkingInterval = (limits: Limits) =>
  Math.min(1000, Math.max(50, Math.floor(Math.min(limits.headersTimeout, limits.bodyTimeout) / 10)))

/** How long a connection answered before its request was parsed may stay open for the caller to read the answer. */
const lingerMillis = 1000

/** How long the answers written at the end of the shutdown grace period have to leave before every connection is cut. */
const flushMillis = 250

/** The answer to what Node's parser refused, by Node's error code. Nothing of the request is quoted. */
const refusal = (code: string | undefined, limits: Limits, inFlight: boolean): CatalogError.CatalogError => {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return new RequestHeaderFieldsTooLarge({
        message: `The request's URL and headers are larger than ${limits.maxHeaderBytes} bytes`
      }, true)
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return new PayloadTooLarge({ message: "The request body's chunk extensions are too large" }, true)
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new RequestTimeout({
        message: inFlight
          ? `The request did not arrive whole within ${seconds(limits.bodyTimeout)}`
          : `The request's headers did not arrive within ${seconds(limits.headersTimeout)}`
      }, true)
    default:
      return new BadRequest({ message: "The request is not valid HTTP/1.1" }, true)
  }
}

/** The answer to an `Expect` other than `100-continue` (Node would answer a bare 417). */
const expectationFailed = new ExpectationFailed({
  message: "The only expectation this server meets is 100-continue"
}, true)

/** The answer to `CONNECT` (Node would close the connection without one). */
const notAProxy = new BadRequest({ message: "This server is not a proxy: CONNECT is not supported" }, true)

const shuttingDown = new ServiceUnavailable({ message: "The service is shutting down; try again", retryAfter: 1 }, true)

/**
 * The HTTP server, listening: `NodeHttpServer.make` on a Node server created with the limits, with the answers to
 * what Node's parser refuses, and a `serve` whose scope, when it closes, drains the server first.
 */
export const make = (listen: ListenOptions, limits: Limits) =>
  Effect.gen(function*() {
    const config = yield* ErrataConfig
    // The services of the serving fiber once it serves (its logger, its tracer): the answers written outside any
    // request's fiber are logged and recorded with them.
    let runFork = Runtime.runFork(yield* Effect.runtime<never>())
    const server = createServer({
      maxHeaderSize: limits.maxHeaderBytes,
      requestTimeout: limits.bodyTimeout,
      headersTimeout: limits.headersTimeout,
      connectionsCheckingInterval: checkingInterval(limits)
    })

    const sockets = new Set<Socket>()
    /** The last request of each connection: a timeout while its body arrives after its answer has nobody to tell. */
    const lastRequest = new WeakMap<Socket, IncomingMessage>()
    /** Connections whose next bytes Node's parser refused while a request before them is answered. */
    const refusing = new WeakSet<Socket>()
    /** Requests the app is working on (the gate counts them), whose handlers may still need the services. */
    let working = 0
    let draining = false
    /** Called when a connection closes or a request ends while draining. */
    let settled = () => {}

    /**
     * Writes an answer to a connection whose response has not begun, and closes it. With a request in flight, the
     * connection is closed once the answer is written (its handler is interrupted); before one, the caller gets a
     * moment to read the answer while what it still sends is discarded (closing at once would reset the connection,
     * and the answer could be lost).
     */
    const answer = (socket: Socket, error: CatalogError.CatalogError, request: IncomingMessage | undefined, reason: string) => {
      answered.add(socket)
      const requestId = RequestId.fromHeader(header(request, "x-request-id"))
      const format = request === undefined ? config.format : config.formatFor(header(request, "accept"))
      const wire = format.encode(error, { requestId })
      let head = `HTTP/1.1 ${wire.status} ${STATUS_CODES[wire.status] ?? ""}\r\n`
      for (const [name, value] of Object.entries(wire.headers)) head += `${name}: ${value}\r\n`
      head += `content-length: ${Buffer.byteLength(wire.body)}\r\nconnection: close\r\ndate: ${new Date().toUTCString()}\r\n\r\n`
      socket.write(head + wire.body)
      if (request === undefined) {
        socket.end()
        socket.once("end", () => socket.destroy())
        setTimeout(() => socket.destroy(), lingerMillis).unref()
      } else {
        socket.destroySoon()
      }
      const { code, status } = (error.constructor as CatalogError.AnyClass).metadata
      runFork(Effect.zipRight(
        Effect.logWarning({
          message: "request failed",
          error_code: code,
          status,
          request_id: requestId,
          ...(request !== undefined ? { method: request.method, path: pathOf(request.url ?? "") } : {}),
          reason
        }),
        Telemetry.answeredOutside(code, status, requestId, request?.method)
      ))
    }

    /** Writes with `write` once `response` has been sent, or closes the connection if it can no longer be written. */
    const afterSent = (response: ServerResponse, socket: Socket, write: () => void) =>
      void response.once("finish", () => {
        if (socket.writable) write()
        else socket.destroy()
      })

    server.on("connection", (socket: Socket) => {
      sockets.add(socket)
      socket.once("close", () => {
        sockets.delete(socket)
        if (draining) settled()
      })
    })

    server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
      // A connection already answered: Node's parser goes on refusing what the caller still sends.
      if (answered.has(socket)) return
      const response = responseOn(socket)
      if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent === true) return void socket.destroy()
      // The body of a request answered before it was read (a 404, a 401) still arriving: it has had its answer.
      const answeredEarly = response === undefined && lastRequest.get(socket)?.complete === false
      if (answeredEarly) return void socket.destroy()
      const reason = error.code ?? "client_error"
      // What follows a request that arrived whole (pipelined) is refused after that request's answer, not instead of it.
      if (response !== undefined && response.req.complete && error.code !== "ERR_HTTP_REQUEST_TIMEOUT") {
        if (refusing.has(socket)) return
        refusing.add(socket)
        return afterSent(response, socket, () => answer(socket, refusal(error.code, limits, false), undefined, reason))
      }
      answer(socket, refusal(error.code, limits, response !== undefined), response?.req, reason)
    })

    /** Answers `request` once the response of a request before it on the connection (pipelined) has been sent. */
    const answerInTurn = (socket: Socket, error: CatalogError.CatalogError, request: IncomingMessage, reason: string) => {
      const before = responseOn(socket)
      if (before === undefined || before.req === request || before.writableFinished) {
        return answer(socket, error, request, reason)
      }
      afterSent(before, socket, () => answer(socket, error, request, reason))
    }

    server.on("checkExpectation", (request: IncomingMessage) => {
      lastRequest.set(request.socket as Socket, request)
      answerInTurn(request.socket as Socket, expectationFailed, request, "expectation")
    })

    server.on("connect", (request: IncomingMessage, socket: Socket) => {
      // Node takes its own error listener off a socket it hands over: a caller that resets it must not crash the process.
      socket.on("error", () => socket.destroy())
      answerInTurn(socket, notAProxy, request, "connect")
    })

    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      // Headers that completed after the server answered their connection (a headers timeout): nobody is waiting.
      if (answered.has(request.socket as Socket)) return void request.socket.destroy()
      lastRequest.set(request.socket as Socket, request)
      if (draining) response.shouldKeepAlive = false
      response.once("close", () => {
        if (!draining) return
        // A response whose headers promised keep-alive before the drain began leaves its connection idle.
        server.closeIdleConnections()
        settled()
      })
    })

    const base = yield* NodeHttpServer.make(() => server, listen)
    // Runs before the platform closes the server, which waits for every connection: none is left to wait for.
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const socket of sockets) socket.destroy()
      })
    )

    const release = Effect.sync(() => {
      working--
      if (draining) settled()
    })

    const refuse = (request: HttpServerRequest.HttpServerRequest) => {
      const requestId = RequestId.fromHeader(request.headers["x-request-id"])
      const wire = config.formatFor(request.headers.accept).encode(shuttingDown, { requestId })
      const { "content-type": contentType, ...headers } = wire.headers
      return Effect.as(
        Effect.zipRight(
          Effect.logWarning({
            message: "request failed",
            error_code: ServiceUnavailable.metadata.code,
            status: wire.status,
            request_id: requestId,
            method: request.method,
            path: pathOf(request.url),
            reason: "shutdown"
          }),
          Effect.whenEffect(Telemetry.failed(ServiceUnavailable.metadata.code, wire.status, requestId), Telemetry.Enabled)
        ),
        HttpServerResponse.raw(wire.body, {
          status: wire.status,
          contentType,
          contentLength: Buffer.byteLength(wire.body),
          headers: { ...headers, connection: "close" }
        })
      )
    }

    /** The app as this server runs it: counted while it works, and refused once the server drains. */
    const gate = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        if (draining) return refuse(request)
        working++
        return Effect.ensuring(app, release)
      })

    /**
     * Stops listening and closes the idle connections; lets the requests in flight finish, with `Connection: close`,
     * for up to the grace period, while requests that arrive meanwhile are answered 503; then answers what is left
     * 503 where an answer can still be written, and cuts every connection.
     */
    const drain = (): Promise<void> =>
      new Promise<void>((resolve) => {
        draining = true
        runFork(Effect.logInfo({
          message: "shutting down",
          requests_in_flight: working,
          connections: sockets.size,
          grace_ms: limits.shutdownGrace
        }))
        // Stops listening before closing the idle connections (the HTTP server's `close` closes them first): a caller
        // that sees its idle connection closed and connects again is refused, not accepted in between.
        NetServer.prototype.close.call(server)
        server.closeIdleConnections()
        for (const socket of sockets) {
          const response = responseOn(socket)
          if (response !== undefined && !response.headersSent) response.shouldKeepAlive = false
        }
        let cut: ReturnType<typeof setTimeout> | undefined
        const done = () => {
          clearTimeout(grace)
          clearTimeout(cut)
          settled = () => {}
          // Stops Node's checks of the connections' timeouts.
          server.close()
          resolve()
        }
        settled = () => {
          if (working === 0 && sockets.size === 0) done()
        }
        const grace = setTimeout(() => {
          for (const socket of sockets) {
            const response = responseOn(socket)
            if (answered.has(socket) || !socket.writable || response?.headersSent === true) socket.destroy()
            else answer(socket, shuttingDown, response?.req, "shutdown")
          }
          cut = setTimeout(() => {
            for (const socket of sockets) socket.destroy()
            done()
          }, flushMillis)
        }, limits.shutdownGrace)
        settled()
      })

    let drained: Promise<void> | undefined
    return HttpServer.make({
      address: base.address,
      serve: (app, middleware) =>
        Effect.zipRight(
          Effect.zipRight(
            Effect.map(Effect.runtime<never>(), (runtime) => void (runFork = Runtime.runFork(runtime))),
            middleware === undefined ? base.serve(gate(app)) : base.serve(gate(app), middleware as never)
          ),
          // Added after the platform's own finalizer, so it runs first: the handlers are still registered, and every
          // layer the app was built on is still open, while the requests in flight finish.
          Effect.addFinalizer(() => Effect.promise(() => drained ??= drain()))
        )
    })
  })
