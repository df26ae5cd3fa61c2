/**
 * `ErrataClient.make(api, options)` derives a client from the shared API definition (`HttpApiClient.make`) whose
 * every call fails with exactly: the endpoint's declared catalog errors, `UnknownApiError`, or `TransportError` —
 * never a `ParseError` or a defect, whatever the server sends. The errors it decodes are the ones the API declares
 * (on the API, its groups and its endpoints, the framework's own included when the API comes from `ErrataApi.make`):
 * a user's own error class arrives as itself, with no further configuration. Error responses are decoded from any
 * of the built-in wire formats, recognised by their envelopes (or from the formats given); a catalog error the
 * endpoint does not declare becomes `UnknownApiError`. Calls are retried by `Retry.policy` under a budget shared by
 * the client, POST/PATCH carry an `Idempotency-Key` reused on every attempt, an expired token is refreshed once for
 * all concurrent calls (`Credentials` gets and renews tokens), and every failed call is logged once with its code, status and request id (at debug level
 * for a 4xx, which the caller handles; at warning level for a 5xx or a transport failure).
 *
 * Each attempt waits, up to its call's deadline (`Retry.Options.deadline`), for what the client's calls share: a
 * `CircuitBreaker` that holds calls back through an outage, the `RateLimitPacing` the server's headers ask for, and an
 * `AdaptiveConcurrency` limit under overload.
 *
 * Every call is a span named after its endpoint (`users.get`), with a span per attempt under it (`users.get attempt`,
 * with `http.request.resend_count` from the second on), each recording `http.response.status_code` and
 * `errata.request_id` and, when it fails, `error.type` (the error code, or `transport_<reason>` with no answer),
 * exported by the tracer provided (`@effect/opentelemetry`). Under Effect's own tracer, which exports nothing, a call
 * makes no spans, its own or its HTTP client's.
 *
 * A request that does not match its endpoint's schema — a value of the wrong type from code the compiler did not
 * check — is a bug of the calling code: the call dies with `RequestEncodeError`, naming the endpoint and the
 * fields, without sending anything.
 *
 * @since 0.1.0
 */
import type { HttpApiGroup, HttpApiMiddleware, HttpClientResponse } from "@effect/platform"
import { HttpApi, HttpApiClient, HttpApiEndpoint, HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import { BuiltinFormats, Catalog, CatalogError, ErrataApi, UnknownApiError, WireFormat } from "@errata/domain"
import type { Types } from "effect"
import {
  Cause,
  Clock,
  Context,
  DefaultServices,
  Deferred,
  Duration,
  Effect,
  Either,
  Exit,
  FiberId,
  FiberRef,
  ParseResult,
  Schema,
  Tracer
} from "effect"
import * as AdaptiveConcurrency from "./AdaptiveConcurrency.js"
import * as CircuitBreaker from "./CircuitBreaker.js"
import * as Admission from "./internal/admission.js"
import { timeoutFail } from "./internal/timeout.js"
import { reasonOf } from "./internal/transport.js"
import * as RateLimitPacing from "./RateLimitPacing.js"
import * as Retry from "./Retry.js"
import * as RetryBudget from "./RetryBudget.js"
import { TransportError } from "./TransportError.js"

/**
 * What a call can fail with, for an endpoint whose declared errors are `E`.
 *
 * @since 0.1.0
 * @category models
 */
export type CallError<E> = Exclude<E, HttpApiDecodeError> | UnknownApiError.UnknownApiError | TransportError

/**
 * The defect of a call whose request does not match its endpoint's schema; nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestEncodeError extends Schema.TaggedError<RequestEncodeError>()("RequestEncodeError", {
  endpoint: Schema.String,
  message: Schema.String
}) {}

/**
 * A client method: the endpoint's request in, its success or a `CallError` out.
 *
 * @since 0.1.0
 * @category models
 */
export type Method<Endpoint, E> = [Endpoint] extends [
  HttpApiEndpoint.HttpApiEndpoint<
    infer _Name,
    infer _Method,
    infer _Path,
    infer _UrlParams,
    infer _Payload,
    infer _Headers,
    infer _Success,
    infer _Error,
    infer _R,
    infer _RE
  >
] ? (
    request: Types.Simplify<HttpApiEndpoint.HttpApiEndpoint.ClientRequest<_Path, _UrlParams, _Payload, _Headers, false>>
  ) => Effect.Effect<_Success, CallError<_Error | E>>
  : never

/**
 * The methods of a group, by endpoint name.
 *
 * @since 0.1.0
 * @category models
 */
export type Group<G, ApiError> = [G] extends [
  HttpApiGroup.HttpApiGroup<infer _Name, infer Endpoints, infer GroupError, infer _R, infer _TopLevel>
] ? { readonly [Endpoint in Endpoints as HttpApiEndpoint.HttpApiEndpoint.Name<Endpoint>]: Method<Endpoint, GroupError | ApiError> }
  : never

/**
 * A client of an API: its groups, by name.
 *
 * @since 0.1.0
 * @category models
 */
export type Client<Groups extends HttpApiGroup.HttpApiGroup.Any, ApiError> = {
  readonly [G in Extract<Groups, { readonly topLevel: false }> as HttpApiGroup.HttpApiGroup.Name<G>]: Group<G, ApiError>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly baseUrl: string | URL
  /**
   * The wire formats error responses may come in, each recognised by its envelope. Default: every built-in format
   * (`BuiltinFormats.all`) that can carry the API's errors.
   */
  readonly formats?: ReadonlyArray<WireFormat.Any>
  /** The retry policy's options, or `false` for no retries. */
  readonly retry?: Retry.Options | false
  /** The retry budget shared by this client's calls. */
  readonly budget?: RetryBudget.Options
  /**
   * The circuit breaker shared by this client's calls (`CircuitBreaker`): after consecutive outage failures calls
   * stop sending and wait, up to their deadline, for a probe to find the server back. `false` for none.
   */
  readonly circuit?: CircuitBreaker.Options | false
  /**
   * The adaptive limit on this client's attempts in flight (`AdaptiveConcurrency`): none until a 429 or 503, then
   * AIMD; attempts above it wait, up to their call's deadline. `false` for none.
   */
  readonly concurrency?: AdaptiveConcurrency.Options | false
  /**
   * Pacing by the server's `RateLimit` and `RateLimit-Policy` headers (`RateLimitPacing`): attempts are held while
   * nothing remains and spread over the time to the reset. `false` to ignore the headers.
   */
  readonly pacing?: false
  /** Adds an `Idempotency-Key` to POST and PATCH requests, so that they can be retried. Default true. */
  readonly idempotencyKeys?: boolean
  /**
   * Renews credentials after `token_expired`, `invalid_token` or `session_expired`; the call is then replayed once.
   * `token_revoked` and `invalid_credentials` are never retried.
   */
  readonly refresh?: Effect.Effect<void, unknown>
  /**
   * A token source (`Credentials.make`): every request carries its bearer token, and it renews the token as
   * `refresh` would (in its place, when both are given).
   */
  readonly credentials?: {
    readonly authorize: (client: HttpClient.HttpClient) => HttpClient.HttpClient
    readonly renew: Effect.Effect<void, unknown>
  }
  /** How long one attempt may take before it fails with `TransportError` (`timeout`). Default 10 seconds. */
  readonly attemptTimeout?: Duration.DurationInput
  /** Changes the underlying `HttpClient`, to add credentials for instance. */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}

/**
 * The decoder of a client's error responses: the formats given, or every built-in format that can carry the API's
 * errors (a server cannot start in a format that cannot), over the errors the API declares and the framework's own.
 * A format given that cannot carry an error of the API is a mistake, reported at once.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decoderOf = (api: HttpApi.HttpApi.Any, formats?: ReadonlyArray<WireFormat.Any>): WireFormat.Detecting => {
  const declared = Catalog.fromApi(api)
  const framework = ErrataApi.frameworkErrors(formats ?? BuiltinFormats.all)
    .map(({ error }) => error)
    .filter((cls) => declared.byCode(cls.metadata.code) === undefined && declared.byTag(cls.metadata.tag) === undefined)
  const catalog = Catalog.add(declared, ...framework)
  const usable = formats ??
    BuiltinFormats.all.filter((format) => WireFormat.clashes(format.envelope, catalog.errors).length === 0)
  return WireFormat.detect(usable.map((format) => WireFormat.withCatalog(format, catalog)))
}

/**
 * An error response, decoded; it travels through HttpApiClient as a failure of the HttpClient. Not an `Error`: it is
 * unwrapped before anyone sees it, and a stack trace would cost more than the rest of the failure.
 */
class DecodedResponse {
  constructor(readonly error: CatalogError.CatalogError | UnknownApiError.UnknownApiError) {}
}

/**
 * The logical call in progress: its `Idempotency-Key`, whether its request went out, the status and request id of
 * the last response it received (for errors that do not carry them, and for spans), and how many attempts it has
 * made. A mutable cell per call, so that it is seen whichever fiber HttpApiClient reads the response in.
 */
interface CallState {
  readonly idempotencyKey: string | undefined
  sent: boolean
  status: number
  requestId: string | undefined
  attempts: number
  /** The call could not be sent again before its deadline: it is over. */
  heldBack: boolean
}

const currentCall = FiberRef.unsafeMake<CallState | undefined>(undefined)

/** Effect's own tracer, which exports nothing: under it, a call records no spans, its own or its HTTP client's. */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

const replayableMethods = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/** The answers new credentials may mend (seed 000 refreshes on `invalid_token`). */
const expiredCodes = new Set(["token_expired", "invalid_token", "session_expired"])

/** `token_expired`, `invalid_token` or `session_expired`, whether the endpoint declares it or not. */
const isExpired = (error: Retry.ClientError): boolean =>
  error instanceof UnknownApiError.UnknownApiError
    ? error.status === 401 && error.code !== undefined && expiredCodes.has(error.code)
    : CatalogError.is(error) && expiredCodes.has(CatalogError.metadataOf(error).code)

/** Random hex, from the platform's cryptographic generator (Node and browsers alike). */
const randomHex = (bytes: number): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, "0"))
    .join("")

/** A request's fields as a caller should read them: without the `, actual …` echo of values. */
const encodeFailure = (endpoint: string, error: ParseResult.ParseError): RequestEncodeError =>
  new RequestEncodeError({
    endpoint,
    message: `The request to ${endpoint} does not match its schema, and was not sent: ${
      ParseResult.ArrayFormatter.formatErrorSync(error).map(({ message, path }) =>
        `${path.length === 0 ? "request" : path.join(".")}: ${message.replace(/, actual [\s\S]*$/, "")}`
      ).join("; ")
    }`
  })


/**
 * One refresh for every call that saw the same expired credentials: the first starts it, the others wait for it
 * (and start another if it was interrupted).
 */
const singleFlight = (refresh: Effect.Effect<void, unknown>) => {
  let generation = 0
  let inFlight: Deferred.Deferred<boolean, unknown> | undefined
  const renew = (seen: number): Effect.Effect<void, unknown> =>
    Effect.suspend(() => {
      if (generation > seen) return Effect.void
      if (inFlight !== undefined) {
        return Effect.flatMap(Deferred.await(inFlight), (renewed) => renewed ? Effect.void : renew(seen))
      }
      const done = Deferred.unsafeMake<boolean, unknown>(FiberId.none)
      inFlight = done
      return Effect.onExit(refresh, (exit) =>
        Effect.sync(() => {
          inFlight = undefined
          if (Exit.isSuccess(exit)) generation++
          Deferred.unsafeDone(
            done,
            Exit.isSuccess(exit)
              ? Exit.succeed(true)
              : Cause.isInterruptedOnly(exit.cause)
              ? Exit.succeed(false)
              : Exit.failCause(exit.cause)
          )
        }))
    })
  return { generation: () => generation, refresh: renew }
}

/** What a failed call or attempt is known by: its code (`transport_<reason>` with no answer), status and request id. */
const outcomeOf = (error: Retry.ClientError) => ({
  code: error instanceof TransportError
    ? `transport_${error.reason}`
    : error instanceof UnknownApiError.UnknownApiError
    ? error.code ?? "unknown"
    : CatalogError.metadataOf(error).code,
  status: Retry.statusOf(error),
  requestId: error instanceof TransportError ? undefined : error.requestId
})

/** A failure, on the current span (the call's or the attempt's), with OpenTelemetry's names. */
/** A failure, on a span (the call's or the attempt's), with OpenTelemetry's names. */
const failedOnSpan = (span: Tracer.Span, error: Retry.ClientError) => {
  const { code, requestId, status } = outcomeOf(error)
  span.attribute("error.type", code)
  if (status !== undefined) span.attribute("http.response.status_code", status)
  if (requestId !== undefined) span.attribute("errata.request_id", requestId)
}

/** The response an attempt or call ended with, on a span. */
const answeredOnSpan = (span: Tracer.Span, call: CallState) => {
  span.attribute("http.response.status_code", call.status)
  if (call.requestId !== undefined) span.attribute("errata.request_id", call.requestId)
}

/** How an attempt or a call ended — its error, or the response it got — recorded on its span. */
const recordedOn = (span: Tracer.Span, call: CallState) => <A, E extends Retry.ClientError>(self: Effect.Effect<A, E>) =>
  Effect.tapBoth(self, {
    onFailure: (error) => Effect.sync(() => failedOnSpan(span, error)),
    onSuccess: () => Effect.sync(() => answeredOnSpan(span, call))
  })

/**
 * A client of `api`, on the `HttpClient` of the context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <ApiId extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, ApiError, ApiR>(
  api: HttpApi.HttpApi<ApiId, Groups, ApiError, ApiR>,
  options: Options
): Effect.Effect<
  Client<Groups, ApiError>,
  never,
  HttpClient.HttpClient | HttpApiMiddleware.HttpApiMiddleware.Without<ApiR | HttpApiGroup.HttpApiGroup.ClientContext<Groups>>
> =>
  Effect.gen(function*() {
    const decoder = decoderOf(api, options.formats)
    const budget = RetryBudget.make(options.budget)
    const renew = options.credentials?.renew ?? options.refresh
    const refresher = renew === undefined ? undefined : singleFlight(renew)
    const attemptTimeout = Duration.toMillis(options.attemptTimeout ?? "10 seconds")
    const retryOptions = options.retry === false ? {} : options.retry ?? {}
    const deadline = Duration.toMillis(retryOptions.deadline ?? "30 seconds")
    const admission = Admission.make({
      circuit: options.circuit === false ? undefined : CircuitBreaker.make(options.circuit),
      concurrency: options.concurrency === false ? undefined : AdaptiveConcurrency.make(options.concurrency),
      pacing: options.pacing === false ? undefined : RateLimitPacing.make(),
      retryAfterCeiling: Duration.toMillis(retryOptions.retryAfterCeiling ?? "60 seconds")
    })
    const pacing = admission.pacing

    const decodeFailure = (response: HttpClientResponse.HttpClientResponse) =>
      Effect.flatMap(Effect.either(response.arrayBuffer), (body) =>
        Effect.fail(
          new DecodedResponse(
            Either.isRight(body)
              ? decoder.decode({ status: response.status, headers: response.headers, body: new Uint8Array(body.right) })
              : new UnknownApiError.UnknownApiError({
                status: response.status,
                message: "The response body could not be read"
              })
          )
        ))

    // The decoded error travels as a failure of the HttpClient, which HttpApiClient passes through untouched.
    const decodeErrors = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
      client.pipe(
        HttpClient.mapRequestEffect((request) =>
          Effect.withFiberRuntime((fiber) => {
            const call = fiber.getFiberRef(currentCall)
            if (call === undefined) return Effect.succeed(request)
            call.sent = true
            return Effect.succeed(
              call.idempotencyKey === undefined || request.headers["idempotency-key"] !== undefined
                ? request
                : HttpClientRequest.setHeader(request, "idempotency-key", call.idempotencyKey)
            )
          })
        ),
        HttpClient.transformResponse(Effect.flatMap((response) =>
          Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, DecodedResponse>((fiber) => {
            const call = fiber.getFiberRef(currentCall)
            if (call !== undefined) {
              call.status = response.status
              call.requestId = response.headers["x-request-id"]
            }
            const rateLimit = response.headers["ratelimit"]
            if (pacing !== undefined && rateLimit !== undefined) {
              const clock = Context.get(fiber.getFiberRef(DefaultServices.currentServices), Clock.Clock)
              pacing.observe(rateLimit, response.headers["ratelimit-policy"], clock.unsafeCurrentTimeMillis())
            }
            return response.status < 400 ? Effect.succeed(response) : decodeFailure(response)
          })
        ))
      ) as unknown as HttpClient.HttpClient
    const raw: any = yield* HttpApiClient.make(api, {
      baseUrl: options.baseUrl,
      transformClient: (client) => {
        const authorized = options.credentials === undefined ? client : options.credentials.authorize(client)
        return decodeErrors(options.transformClient ? options.transformClient(authorized) : authorized)
      }
    })

    const call = (
      endpoint: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps,
      name: string,
      declared: ReadonlySet<string>,
      invoke: () => Effect.Effect<unknown, unknown>
    ) => {
      const asCallError = (failure: unknown, status: number): Retry.ClientError => {
        // A decoded error response, or an error of the credentials (the token endpoint's own answers).
        const error = failure instanceof DecodedResponse ? failure.error : failure
        if (error instanceof UnknownApiError.UnknownApiError) return error
        if (CatalogError.is(error)) {
          const decoded = error
          if (declared.has(decoded._tag)) return decoded
          const { code, status } = CatalogError.metadataOf(decoded)
          // Valid by construction: the fields come from an error that was decoded.
          return new UnknownApiError.UnknownApiError({
            status,
            code,
            message: `${name} does not declare ${code}: ${decoded.message}`,
            ...(decoded.requestId !== undefined ? { requestId: decoded.requestId } : {}),
            ...(decoded.retryAfter !== undefined ? { retryAfter: decoded.retryAfter } : {})
          }, true)
        }
        if (error instanceof TransportError) return error
        if (HttpClientError.isHttpClientError(error) && error._tag === "RequestError") {
          return new TransportError({
            reason: reasonOf(error.cause),
            message: error.message,
            method: endpoint.method,
            url: endpoint.path
          })
        }
        if (HttpClientError.isHttpClientError(error) && error._tag === "ResponseError") {
          return new UnknownApiError.UnknownApiError({
            status: error.response.status,
            message: error.reason === "StatusCode"
              ? `${name} does not expect status ${error.response.status}`
              : "The response body could not be read"
          })
        }
        if (ParseResult.isParseError(error) || error instanceof HttpApiDecodeError) {
          return new UnknownApiError.UnknownApiError({ status, message: `The response does not match ${name}'s schema` })
        }
        return new UnknownApiError.UnknownApiError({ status, message: `${name} failed unexpectedly` })
      }
      const timeout = (message: string) => () =>
        new TransportError({ reason: "timeout", message, method: endpoint.method, url: endpoint.path })
      const timedOut = timeout("The attempt timed out")
      const notSent = timeout("No attempt could be sent before the call's deadline")
      const replayable = replayableMethods.has(endpoint.method)
      const callSpan = {
        attributes: { "http.request.method": endpoint.method, "url.template": endpoint.path },
        captureStackTrace: false
      } as const
      const attemptSpanName = `${name} attempt`

      return Effect.withFiberRuntime<unknown, Retry.ClientError>((fiber) => {
        const services = fiber.getFiberRef(DefaultServices.currentServices)
        const startedAt = Context.get(services, Clock.Clock).unsafeCurrentTimeMillis()
        const traced = fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
          Context.get(services, Tracer.Tracer) !== nativeTracer
        budget.recordCall()
        const state: CallState = {
          idempotencyKey: replayable || options.idempotencyKeys === false ? undefined : `idem_${randomHex(16)}`,
          sent: false,
          status: 0,
          requestId: undefined,
          attempts: 0,
          heldBack: false
        }
        const deadlineAt = startedAt + deadline

        const sent = timeoutFail(Effect.suspend(invoke), attemptTimeout, timedOut).pipe(
          Effect.catchAllCause((cause) => {
            if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
            const error = Cause.squash(cause)
            return !state.sent && ParseResult.isParseError(error)
              ? Effect.die(encodeFailure(name, error))
              : Effect.fail(asCallError(error, state.status))
          })
        )
        const attempt = traced
          ? Effect.suspend(() => {
            const resends = state.attempts++
            return Effect.useSpan(attemptSpanName, {
              attributes: resends > 0 ? { "http.request.resend_count": resends } : {},
              captureStackTrace: false
            }, (span) =>
              sent.pipe(recordedOn(span, state), Effect.withParentSpan(span)))
          })
          : sent
        const admitted = admission.run(deadlineAt, attempt, notSent, () => {
          state.heldBack = true
        })
        const refreshed = refresher === undefined ? admitted : Effect.suspend(() => {
          const seen = refresher.generation()
          return Effect.catchIf(admitted, isExpired, (expired) =>
            Effect.zipRight(
              Effect.mapError(refresher.refresh(seen), () => expired),
              admitted
            ))
        })
        // The policy is consulted from the first failure on: a call that succeeds at once never builds it.
        const retried = options.retry === false ? refreshed : Effect.catchAll(refreshed, (first) => {
          // What this call's retries draw from the budget; given back if the call succeeds in the end.
          let drawn = 0
          const counted: RetryBudget.RetryBudget = {
            ...budget,
            acquire: (cost) => {
              const acquired = budget.acquire(cost)
              if (acquired) drawn += cost
              return acquired
            }
          }
          let pending: Retry.ClientError | undefined = first
          const again = Effect.suspend(() => {
            if (pending === undefined) return refreshed
            const error = pending
            pending = undefined
            return Effect.fail(error)
          })
          const schedule = Retry.policy({
            ...retryOptions,
            budget: counted,
            startedAt,
            replayable: replayable || state.idempotencyKey !== undefined
          })
          return Effect.tap(Effect.retry(again, { schedule, while: () => !state.heldBack }), () => budget.refund(drawn))
        })
        const logged = Effect.tapError(retried, (error) => {
          const { code, requestId, status } = outcomeOf(error)
          // A 4xx is an answer the caller's code is there to handle; a 5xx or no answer is worth a warning.
          const log = status === undefined || status >= 500 ? Effect.logWarning : Effect.logDebug
          return log("api call failed").pipe(
            Effect.annotateLogs({
              endpoint: name,
              method: endpoint.method,
              error_code: code,
              status: status ?? 0,
              request_id: requestId ?? ""
            })
          )
        })
        if (!traced) {
          return Effect.locally(Effect.locally(logged, currentCall, state), FiberRef.currentTracerEnabled, false)
        }
        return Effect.useSpan(name, callSpan, (span) =>
          logged.pipe(
            recordedOn(span, state),
            Effect.locally(currentCall, state),
            Effect.withParentSpan(span)
          ))
      })
    }

    const declaredBy = Catalog.declaredBy(api)
    const client: Record<string, Record<string, unknown>> = {}
    HttpApi.reflect(api as unknown as HttpApi.HttpApi.AnyWithProps, {
      onGroup: ({ group }) => {
        client[group.identifier] = {}
      },
      onEndpoint: ({ endpoint, group }) => {
        const name = `${group.identifier}.${endpoint.name}`
        const declared = new Set((declaredBy.get(name) ?? []).map((cls) => cls.metadata.tag))
        const rawMethod = group.topLevel ? raw[endpoint.name] : raw[group.identifier][endpoint.name]
        client[group.identifier]![endpoint.name] = (request: unknown) =>
          call(endpoint as unknown as HttpApiEndpoint.HttpApiEndpoint.AnyWithProps, name, declared, () => rawMethod(request))
      }
    })
    return client as unknown as Client<Groups, ApiError>
  })
