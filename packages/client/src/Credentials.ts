/**
 * A token source for an Errata client: it gets access tokens from an OAuth 2 token endpoint (the contract's
 * `OAuth.Group`) by the `client_credentials` grant or a `refresh_token` (rotating it as the server rotates it),
 * renews a token shortly before it expires, and again when the server answers `token_expired` or `invalid_token`
 * (seed 000 refreshes on `invalid_token`). Concurrent calls share one request to the token endpoint; `token_revoked`
 * and `invalid_credentials` are not retried. Tokens are `Redacted`: they do not reach logs.
 *
 * ```ts
 * const credentials = yield* Credentials.make({ baseUrl, grant: { type: "client_credentials", clientId, clientSecret } })
 * const client = yield* ErrataClient.make(Api, { baseUrl, credentials })
 * ```
 *
 * @since 0.1.0
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { ErrataApi, OAuth } from "@errata/domain"
import { Clock, Duration, Effect, Redacted } from "effect"
import * as ErrataClient from "./ErrataClient.js"

/**
 * How the source gets its tokens.
 *
 * @since 0.1.0
 * @category models
 */
export type Grant =
  | {
    readonly type: "client_credentials"
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly scope?: string
  }
  | {
    readonly type: "refresh_token"
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly refreshToken: Redacted.Redacted<string>
    readonly scope?: string
  }

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where the token endpoint is (`POST /oauth/token` below it). */
  readonly baseUrl: string | URL
  readonly grant: Grant
  /** How long before it expires a token is renewed. Default 30 seconds. */
  readonly renewBefore?: Duration.DurationInput
}

/**
 * A token source, for `ErrataClient.make(api, { credentials })`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  /** The current access token, got or renewed when needed; concurrent callers share one request. */
  readonly token: Effect.Effect<Redacted.Redacted<string>, ErrataClient.CallError<unknown>>
  /** Gets a new token now, whatever the current one's expiry. */
  readonly renew: Effect.Effect<void, ErrataClient.CallError<unknown>>
  /** An `HttpClient` whose every request carries the current token. */
  readonly authorize: (client: HttpClient.HttpClient) => HttpClient.HttpClient
}

/** The API a token source calls: the token endpoint and the errors of the framework. */
class TokenApi extends ErrataApi.make("errata-credentials").add(OAuth.Group) {}

/**
 * A token source on the `HttpClient` of the context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Credentials, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* ErrataClient.make(TokenApi, { baseUrl: options.baseUrl })
    const renewBefore = Duration.toMillis(options.renewBefore ?? "30 seconds")
    const lock = yield* Effect.makeSemaphore(1)
    const { clientId, clientSecret, scope } = options.grant
    let refreshToken = options.grant.type === "refresh_token" ? options.grant.refreshToken : undefined
    let current: { readonly token: Redacted.Redacted<string>; readonly expiresAt: number } | undefined

    const request = () =>
      refreshToken !== undefined
        ? client.oauth.token({
          payload: new OAuth.RefreshTokenGrant({
            grantType: "refresh_token",
            clientId,
            clientSecret,
            refreshToken,
            ...(scope !== undefined ? { scope } : {})
          })
        })
        : client.oauth.token({
          payload: new OAuth.ClientCredentialsGrant({
            grantType: "client_credentials",
            clientId,
            clientSecret,
            ...(scope !== undefined ? { scope } : {})
          })
        })

    const issue = Effect.gen(function*() {
      const response = yield* request()
      if (response.refreshToken !== undefined) refreshToken = response.refreshToken
      current = { token: response.accessToken, expiresAt: (yield* Clock.currentTimeMillis) + response.expiresIn * 1000 }
      return response.accessToken
    })

    const valid = (now: number) => current !== undefined && now < current.expiresAt - renewBefore
    // A valid token is read without the lock; only getting one takes it, and looks again once it has it.
    const token = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      valid(now) ? Effect.succeed(current!.token) : lock.withPermits(1)(
        Effect.flatMap(Clock.currentTimeMillis, (now) => valid(now) ? Effect.succeed(current!.token) : issue)
      ))
    const renew = lock.withPermits(1)(Effect.asVoid(issue))

    return {
      token,
      renew,
      // The token's own failures travel through the HttpClient; the Errata client maps them to its call errors.
      authorize: (http) =>
        http.pipe(HttpClient.mapRequestEffect((request) =>
          Effect.map(token, (value) => HttpClientRequest.bearerToken(request, Redacted.value(value)))
        )) as unknown as HttpClient.HttpClient
    }
  })
