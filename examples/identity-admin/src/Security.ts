/**
 * Who may call the service: the framework's `Authentication` on the service's tokens and sessions, and the
 * provisioning webhook's signature check on the secrets it shares with the HR system.
 */
import type { Authentication as Contract, Webhook } from "@errata/domain"
import type { ErrorHeaders } from "@errata/server"
import { Authentication, Webhooks } from "@errata/server"
import type { Redacted } from "effect"
import { Effect, Layer } from "effect"
import { Sessions } from "./Sessions.js"
import { SecuritySettings } from "./Settings.js"
import { Tokens } from "./Tokens.js"

/** The `realm` of `WWW-Authenticate`. */
export const realm = "identity-admin"

/** Bearer tokens and session cookies, checked on every request to a group or an endpoint that requires them. */
export const layer: Layer.Layer<Contract.Authentication | ErrorHeaders.ErrorHeaders, never, Tokens | Sessions | SecuritySettings> =
  Layer.unwrapEffect(Effect.gen(function*() {
    const tokens = yield* Tokens
    const sessions = yield* Sessions
    const settings = yield* SecuritySettings
    return Authentication.layer({
      realm,
      bearer: tokens.bearer,
      sessions: {
        find: sessions.find,
        touch: sessions.touch,
        idleTimeout: settings.sessionIdleTimeout,
        absoluteTimeout: settings.sessionAbsoluteTimeout
      }
    })
  }))

/** The provisioning webhook's check, with these secrets (none: every delivery is refused). */
export const webhooks = (secrets: ReadonlyArray<Redacted.Redacted<string>>): Layer.Layer<Webhook.Signature> =>
  Webhooks.layer({ secrets })
