/**
 * The bearer token the benchmarks send: `servers.ts` creates the client `bench` on start; this gets a token for it,
 * as the `Authorization` header of every request. A server without the token endpoint (node:http) gets none.
 */
export const authorization = async (baseUrl: string): Promise<Record<string, string>> => {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "bench", client_secret: "bench-secret" })
  })
  const { access_token } = await response.json().catch(() => ({})) as { access_token?: string }
  return access_token === undefined ? {} : { authorization: `Bearer ${access_token}` }
}
