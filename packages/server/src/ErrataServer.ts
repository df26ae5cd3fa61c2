/**
 * `ErrataServer` makes an `HttpApi` an Errata server. `ErrataServer.layer(api)` takes the place of
 * `HttpApiBuilder.api(api)`: it adds one middleware, wrapped around the whole API, through which every request
 * passes. It gives the request an id, applies rate limiting, answers requests no route serves (404, 405 with
 * `Allow`), refuses bodies that are too large or not JSON, bounds each request's time (504 `timeout`), and turns
 * whatever goes wrong into a catalog error encoded in the configured wire format (or one the request's `Accept`
 * asks for), logged once with the request id.
 *
 * Groups are implemented with `ErrataServer.group`, which is `HttpApiBuilder.group` with each handler marking that
 * the request reached it, so that a handler's invalid success value is answered as the server's fault (500), not
 * as the caller's invalid request (400/422). `ErrataServer.layer` requires each group of the API from
 * `ErrataServer.group`: a group built with plain `HttpApiBuilder.group` does not compile.
 *
 * @since 0.1.0
 */
import type { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { HttpApiBuilder, HttpRouter } from "@effect/platform"
import type { Scope } from "effect"
import { Chunk, Effect, Layer, Option } from "effect"
import type { ErrataConfig } from "./ErrataConfig.js"
import * as ErrorPages from "./internal/errorPages.js"
import * as internal from "./internal/middleware.js"
import * as RequestValidation from "./internal/requestValidation.js"

/**
 * The mark of a group implemented with `ErrataServer.group`; `ErrataServer.layer` requires one for each group of
 * its API. It is a type only, like `HttpApiGroup.ApiGroup`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handled<ApiId extends string, Name extends string> {
  readonly _: unique symbol
  readonly apiId: ApiId
  readonly name: Name
}

/**
 * The marks of every group of an API.
 *
 * @since 0.1.0
 * @category models
 */
export type HandledGroups<ApiId extends string, Groups> = Groups extends
  HttpApiGroup.HttpApiGroup<infer Name, infer _Endpoints, infer _Error, infer _R, infer _TopLevel> ? Handled<ApiId, Name>
  : never

const bodyMethods = new Set(["POST", "PUT", "PATCH", "DELETE"])

/** The endpoint with a body whose unknown members are refused (`unknown_field`) rather than dropped. */
const strictBody = (endpoint: HttpApiEndpoint.HttpApiEndpoint.AnyWithProps): HttpApiEndpoint.HttpApiEndpoint.AnyWithProps =>
  Option.isNone(endpoint.payloadSchema) || !bodyMethods.has(endpoint.method)
    ? endpoint
    : Object.assign(Object.create(Object.getPrototypeOf(endpoint)), endpoint, {
      payloadSchema: Option.map(endpoint.payloadSchema, RequestValidation.strict)
    })

/**
 * `HttpApiBuilder.group`, with each handler marking that the request reached it. Same arguments, same handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const group = <
  ApiId extends string,
  Groups extends HttpApiGroup.HttpApiGroup.Any,
  ApiError,
  ApiR,
  const Name extends HttpApiGroup.HttpApiGroup.Name<Groups>,
  Return
>(
  api: HttpApi.HttpApi<ApiId, Groups, ApiError, ApiR>,
  groupName: Name,
  build: (
    handlers: HttpApiBuilder.Handlers.FromGroup<ApiError, ApiR, HttpApiGroup.HttpApiGroup.WithName<Groups, Name>>
  ) => HttpApiBuilder.Handlers.ValidateReturn<Return>
): Layer.Layer<
  HttpApiGroup.ApiGroup<ApiId, Name> | Handled<ApiId, Name>,
  HttpApiBuilder.Handlers.Error<Return>,
  Exclude<HttpApiBuilder.Handlers.Context<Return> | HttpApiGroup.HttpApiGroup.MiddlewareWithName<Groups, Name>, Scope.Scope>
> =>
  HttpApiBuilder.group(api, groupName, (handlers: any) => {
    const result: any = build(handlers)
    const mark = (built: any) =>
      Object.assign(Object.create(Object.getPrototypeOf(built)), built, {
        handlers: Chunk.map(built.handlers, (item: any) => ({
          ...item,
          endpoint: strictBody(item.endpoint),
          handler: (request: unknown) => internal.marked(item.handler(request))
        }))
      })
    return Effect.isEffect(result) ? Effect.map(result, mark) : mark(result)
  }) as any

/**
 * The API as an Errata server serves it, for `HttpApiBuilder.serve`: `HttpApiBuilder.api(api)` with Errata's
 * middleware. Needs `ErrataConfig`, each group from `ErrataServer.group`, and uses `RateLimit` when the context has
 * it. An error class of the API that a configured format cannot carry (an own field named like a member of its
 * envelope) stops the server from starting, with the class and the field named.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <ApiId extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<ApiId, Groups, E, R>
): Layer.Layer<
  HttpApi.Api,
  never,
  | ErrataConfig
  | HttpApiGroup.HttpApiGroup.ToService<ApiId, Groups>
  | HandledGroups<ApiId, Groups>
  | R
  | HttpApiGroup.HttpApiGroup.ErrorContext<Groups>
> =>
  Layer.mergeAll(
    HttpApiBuilder.api(api),
    HttpApiBuilder.middleware(internal.make(api)).pipe(Layer.provide(HttpApiBuilder.Router.Live)),
    ErrorPages.layer(api).pipe(Layer.provide(HttpApiBuilder.Router.Live)),
    // The router matches a path parameter of any length, as the middleware's route table does: past the router's
    // default (100 characters) a documented operation would be answered `not_found` instead of its own errors.
    HttpRouter.setRouterConfig({ maxParamLength: Number.MAX_SAFE_INTEGER })
  ) as any
