/**
 * Every request has an id: the caller's `X-Request-ID` when it is well formed, else a new one. Handlers read it from
 * `CurrentRequestId`; every response carries it back as `X-Request-ID`.
 *
 * @since 0.1.0
 */
import { RequestId } from "@errata/domain"
import { Context, Schema } from "effect"
import { randomUUID } from "node:crypto"

/**
 * @since 0.1.0
 */
export class CurrentRequestId extends Context.Tag("errata/CurrentRequestId")<CurrentRequestId, string>() {}

/**
 * A new request id, `req_` followed by 32 hex digits.
 *
 * @since 0.1.0
 */
export const make = (): string => `req_${randomUUID().replace(/-/g, "")}`

const isRequestId = Schema.is(RequestId)

/**
 * The caller's request id if it is well formed (1 to 128 characters from `A-Z a-z 0-9 . _ ~ : -`), else a new one.
 *
 * @since 0.1.0
 */
export const fromHeader = (header: string | undefined): string => isRequestId(header) ? header : make()
