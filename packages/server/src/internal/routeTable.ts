/**
 * The routes an HttpApi server has, as its middleware sees them: the endpoints of the API, with what the server
 * needs to know of each before HttpApi's router runs (the content types its body may have, the format it answers
 * in, the scopes it requires, whether it requires an idempotency key), and every other route or mount added to
 * `HttpApiBuilder.Router` (the OpenAPI document, the docs page, a health check). With it the middleware answers a
 * request no route serves — 404, or 405 with `Allow` — without running HttpApi's router, which would build a
 * `RouteNotFound` error, stack trace and all, only for the middleware to turn it into the same answer.
 */
import type { HttpRouter } from "@effect/platform"
import { HttpApi } from "@effect/platform"
import { Authentication, ErrataApi, Idempotency } from "@errata/domain"
import type { WireFormat } from "@errata/domain"
import { Chunk, Context, Option, Schema } from "effect"
import * as FindMyWay from "find-my-way-ts"
import type * as RequestValidation from "./requestValidation.js"

/** An endpoint of the API, as the middleware needs it. */
export interface Endpoint {
  /** The content types its body may have; none for an endpoint without a body. */
  readonly contentTypes: ReadonlySet<string>
  /** The format it answers in whatever the server's, from `ErrataApi.answeredIn`. */
  readonly format: WireFormat.Any | undefined
  readonly scopes: ReadonlyArray<string>
  readonly keyRequired: boolean
  /** Its responses carry secrets: idempotency keys are ignored. */
  readonly keyIgnored: boolean
  /** The schemas of its input, to list every invalid field when HttpApi refuses a request. */
  readonly schemas: RequestValidation.Schemas
}

/** A route that may serve a request: an endpoint of the API, or a route or mount beside it. */
export interface Route {
  readonly endpoint: Endpoint | undefined
  /** The path it was added with (`/users/:id`); none for a mount. */
  readonly path?: string | undefined
}

/** A router's routes and mounts, for lookups. */
export interface RouteTable {
  /**
   * The route that may serve the request. It errs on the side of "may": the table matches paths as HttpApi's
   * router does by default (trailing and duplicate slashes ignored, case-insensitive) and without a limit on
   * parameter length, so a request it refuses is one the router would refuse under any configuration.
   */
  readonly find: (method: string, url: string) => Route | undefined
  /** The methods with a route for the URL's path, in the order they were first registered. */
  readonly allowedMethods: (url: string) => ReadonlyArray<string>
  /** The path parameters of the route that serves the request. */
  readonly params: (method: string, url: string) => Readonly<Record<string, string | undefined>>
}

/**
 * A request URL's path: the URL without its query.
 */
export const pathOf = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

const key = (method: string, path: string) => `${method} ${path}`

/** The endpoints of an API by method and path, with their annotations read once. */
export const endpointsOf = (api: HttpApi.HttpApi.Any): ReadonlyMap<string, Endpoint> => {
  const endpoints = new Map<string, Endpoint>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, mergedAnnotations, payloads }) => {
      const json = payloads.get("application/json")
      endpoints.set(key(endpoint.method, endpoint.path), {
        schemas: {
          path: Option.getOrUndefined(endpoint.pathSchema),
          query: Option.getOrUndefined(endpoint.urlParamsSchema),
          payload: json === undefined ? undefined : Schema.make(json.ast)
        },
        contentTypes: new Set(payloads.keys()),
        format: Option.getOrUndefined(Context.getOption(mergedAnnotations, ErrataApi.AnsweredIn)),
        scopes: Option.getOrElse(Context.getOption(mergedAnnotations, Authentication.RequiredScopes), () => []),
        keyRequired: Option.getOrElse(Context.getOption(mergedAnnotations, Idempotency.KeyRequired), () => false),
        keyIgnored: Option.getOrElse(Context.getOption(mergedAnnotations, Idempotency.KeyIgnored), () => false)
      })
    }
  })
  return endpoints
}

const beside: Route = { endpoint: undefined }

/**
 * The table of a router's routes and mounts, read once: build it from the router the server serves, with the
 * endpoints of its API.
 */
export const make = (router: HttpRouter.HttpRouter<any, any>, endpoints: ReadonlyMap<string, Endpoint>): RouteTable => {
  const table = FindMyWay.make<Route>({ maxParamLength: Number.MAX_SAFE_INTEGER })
  const methods = new Set<string>()
  Chunk.forEach(router.routes, (route) => {
    if (route.method === "*") {
      table.all(route.path, { endpoint: undefined, path: route.path })
    } else {
      const endpoint = endpoints.get(key(route.method, route.path))
      table.on(route.method, route.path, { endpoint, path: route.path })
      methods.add(route.method)
    }
  })
  const mounts = Chunk.toReadonlyArray(router.mounts).map(([prefix]) => prefix)
  const mounted = (url: string) => {
    if (mounts.length === 0) return false
    const path = pathOf(url)
    return mounts.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
  }
  const routed = (method: string, url: string) =>
    table.find(method, url)?.handler ?? (method === "HEAD" ? table.find("GET", url)?.handler : undefined)
  return {
    find: (method, url) => routed(method, url) ?? (mounted(url) ? beside : undefined),
    allowedMethods: (url) => Array.from(methods).filter((method) => table.find(method, url) !== undefined),
    params: (method, url) => (table.find(method, url) ?? (method === "HEAD" ? table.find("GET", url) : undefined))?.params ?? {}
  }
}
