/**
 * Headers an error response gets beside those of its wire format, by error: for instance `WWW-Authenticate` on
 * every 401 and 403, which `Authentication.layer` provides. An Errata server uses the `ErrorHeaders` of its context
 * when there is one.
 *
 * @since 0.1.0
 */
import type { CatalogError } from "@errata/domain"
import { Context, Layer } from "effect"

/**
 * @since 0.1.0
 * @category tags
 */
export class ErrorHeaders extends Context.Tag("errata/ErrorHeaders")<
  ErrorHeaders,
  (error: CatalogError.CatalogError) => Readonly<Record<string, string>> | undefined
>() {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  headers: (error: CatalogError.CatalogError) => Readonly<Record<string, string>> | undefined
): Layer.Layer<ErrorHeaders> => Layer.succeed(ErrorHeaders, headers)
