/**
 * The HTTP handlers of browser sessions: a login sets the session cookie and answers the CSRF token; a logout
 * closes the session and clears the cookie.
 */
import { SqlClient } from "@effect/sql"
import { Authentication as Contract } from "@errata/domain"
import { Authentication, ErrataServer } from "@errata/server"
import { Effect, Redacted } from "effect"
import { Accounts } from "./Accounts.js"
import { AdminApi } from "./Api.js"
import { unavailableWhenDown } from "./Sql.js"
import { SessionOpened } from "./Session.js"
import { Sessions } from "./Sessions.js"
import { SecuritySettings } from "./Settings.js"
import type { UserId } from "./User.js"

export const SessionHttpLive = ErrataServer.group(AdminApi, "session", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const sessions = yield* Sessions
    const settings = yield* SecuritySettings
    const sql = yield* SqlClient.SqlClient
    return handlers
      .handle("login", ({ payload }) =>
        Effect.gen(function*() {
          const account = yield* accounts.login(payload.email, payload.password)
          const opened = yield* sessions.open(account.id)
          yield* Authentication.setSessionCookie(opened.id, {
            maxAge: settings.sessionAbsoluteTimeout,
            ...(settings.secureCookies ? { secure: true } : {})
          })
          return new SessionOpened({ userId: account.id as UserId, csrfToken: opened.csrfToken })
        }).pipe(unavailableWhenDown(sql)))
      .handle("current", () => Contract.CurrentPrincipal)
      .handle("logout", ({ request }) =>
        Effect.gen(function*() {
          const id = request.cookies[Authentication.sessionCookie]
          if (id !== undefined && id !== "") yield* sessions.close(Redacted.make(id))
          yield* Authentication.clearSessionCookie()
        }))
  }))
