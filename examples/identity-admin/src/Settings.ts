/**
 * The service's security settings: token and session lifetimes, the lockout rule, and the scopes it knows.
 * `pnpm start` reads them from the environment; tests set them in code.
 */
import { Config, Context, Duration, Layer } from "effect"

export interface Settings {
  /** How long an access token lives (seed 003: "Tokens expire after 1 hour and need to be refreshed"). */
  readonly accessTokenTtl: Duration.Duration
  readonly refreshTokenTtl: Duration.Duration
  /** Failed logins that lock an account, within `lockoutWindow`; the lock lasts `lockoutDuration`. */
  readonly lockoutAttempts: number
  readonly lockoutWindow: Duration.Duration
  readonly lockoutDuration: Duration.Duration
  /** How long a session lives unused, and at most. */
  readonly sessionIdleTimeout: Duration.Duration
  readonly sessionAbsoluteTimeout: Duration.Duration
  /** Whether the session cookie is `Secure` whatever the request came over (behind a proxy that ends TLS). */
  readonly secureCookies: boolean
}

export const defaults: Settings = {
  accessTokenTtl: Duration.hours(1),
  refreshTokenTtl: Duration.days(30),
  lockoutAttempts: 5,
  lockoutWindow: Duration.minutes(15),
  lockoutDuration: Duration.minutes(15),
  sessionIdleTimeout: Duration.minutes(30),
  sessionAbsoluteTimeout: Duration.hours(12),
  secureCookies: false
}

/** The settings in use: `defaults` unless a layer provides others. */
export class SecuritySettings extends Context.Reference<SecuritySettings>()("identity-admin/SecuritySettings", {
  defaultValue: (): Settings => defaults
}) {}

export const layer = (settings: Partial<Settings> = {}): Layer.Layer<SecuritySettings> =>
  Layer.succeed(SecuritySettings, { ...defaults, ...settings })

/** `ERRATA_ACCESS_TOKEN_TTL` (a duration such as `1 hour`) and `ERRATA_SECURE_COOKIES`; the rest as `defaults`. */
export const layerConfig = Layer.effect(
  SecuritySettings,
  Config.all({
    accessTokenTtl: Config.duration("ERRATA_ACCESS_TOKEN_TTL").pipe(Config.withDefault(defaults.accessTokenTtl)),
    secureCookies: Config.boolean("ERRATA_SECURE_COOKIES").pipe(Config.withDefault(defaults.secureCookies))
  }).pipe(Config.map((configured): Settings => ({ ...defaults, ...configured })))
)

/**
 * The scopes a token gets: those asked for (RFC 6749 §3.3) among those its client may have; all of them if none
 * were asked for. Scopes say what a token may be used for; roles say what whom it acts for may do.
 */
export const narrowScopes = (allowed: ReadonlyArray<string>, requested: string | undefined): ReadonlyArray<string> => {
  if (requested === undefined || requested.trim() === "") return allowed
  const asked = new Set(requested.trim().split(/\s+/))
  return allowed.filter((scope) => asked.has(scope))
}
