/**
 * The Butler's API key is bound to one origin (scheme, host and port): the endpoint it was saved for.
 * It is sent nowhere else, so neither a model test nor a changed base URL can carry it to another server.
 */

/** `https://api.example.com` for `https://api.example.com:443/v1`; null for no URL or an unparsable one. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    // Non-special schemes give the opaque origin 'null'; only http(s) reach here, but never match on it.
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** Why a stored key is not used with the current endpoint; the message is shown to admins. */
export function keyOriginProblem(boundTo: string | null, endpoint: string | null): string {
  const where = boundTo ? `was saved for ${boundTo}` : 'was saved without an endpoint';
  return `${where} and is never sent to ${endpoint ?? 'another origin'}; enter it again for this endpoint`;
}
