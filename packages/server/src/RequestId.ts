/**
 * Every request has an id: the caller's `X-Request-ID` when it is well formed, else a new one. Handlers read it from
 * `CurrentRequestId`; every response carries it back as `X-Request-ID`.
 *
 * @since 0.1.0
 */
import { CatalogError } from "@errata/domain"
import { Context, Schema } from "effect"
import { randomFillSync } from "node:crypto"

/**
 * The id of the request being handled.
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentRequestId extends Context.Tag("errata/CurrentRequestId")<CurrentRequestId, string>() {}

// Random bytes for 256 ids at a time: one call into the system's generator instead of one per request.
const pool = Buffer.alloc(16 * 256)
let offset = pool.length

/**
 * A new request id, `req_` followed by 32 hex digits.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): string => {
  if (offset === pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  offset += 16
  return `req_${pool.toString("hex", offset - 16, offset)}`
}

const isRequestId = Schema.is(CatalogError.RequestId)

/**
 * The caller's request id if it is well formed (1 to 128 characters from `A-Z a-z 0-9 . _ ~ : -`), else a new one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromHeader = (header: string | undefined): string =>
  header !== undefined && isRequestId(header) ? header : make()
