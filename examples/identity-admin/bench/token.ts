/**
 * The bearer token the benchmarks send: `servers.ts` creates the client `bench` on start; this gets a token for it,
 * as the `Authorization` header of every request.
 */
export const authorization = async (baseUrl: string): Promise<Record<string, string>> => {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "bench", client_secret: "bench-secret" })
  })
  const { access_token } = await response.json().catch(() => ({})) as { access_token?: string }
  if (access_token === undefined) throw new Error(`${baseUrl} gave no token (${response.status})`)
  return { authorization: `Bearer ${access_token}` }
}
