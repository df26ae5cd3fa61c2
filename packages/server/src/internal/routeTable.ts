/**
 * The routes an HttpApi server has, as its middleware sees them: the endpoints of the API and every other route or
 * mount added to `HttpApiBuilder.Router` (the OpenAPI document, the docs page, a health check). With it the
 * middleware answers a request no route serves — 404, or 405 with `Allow` — without running HttpApi's router, which
 * would build a `RouteNotFound` error, stack trace and all, only for the middleware to turn it into the same answer.
 */
import type { HttpRouter } from "@effect/platform"
import { Chunk } from "effect"
import * as FindMyWay from "find-my-way-ts"

/** A router's routes and mounts, for lookups. */
export interface RouteTable {
  /**
   * Whether a route or a mount may serve the request. It errs on the side of "may": the table matches paths as
   * HttpApi's router does by default (trailing and duplicate slashes ignored, case-insensitive) and without a limit
   * on parameter length, so a request it refuses is one the router would refuse under any configuration.
   */
  readonly serves: (method: string, url: string) => boolean
  /** The methods with a route for the URL's path, in the order they were first registered. */
  readonly allowedMethods: (url: string) => ReadonlyArray<string>
}

/**
 * A request URL's path: the URL without its query.
 */
export const pathOf = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

/**
 * The table of a router's routes and mounts, read once: build it from the router the server serves.
 */
export const make = (router: HttpRouter.HttpRouter<any, any>): RouteTable => {
  const table = FindMyWay.make<true>({ maxParamLength: Number.MAX_SAFE_INTEGER })
  const methods = new Set<string>()
  Chunk.forEach(router.routes, (route) => {
    if (route.method === "*") {
      table.all(route.path, true)
    } else {
      table.on(route.method, route.path, true)
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
    table.find(method, url) !== undefined || (method === "HEAD" && table.find("GET", url) !== undefined)
  return {
    serves: (method, url) => routed(method, url) || mounted(url),
    allowedMethods: (url) => Array.from(methods).filter((method) => table.find(method, url) !== undefined)
  }
}
