/** What a personal access token may do: `read` = GET requests and read-only MCP tools; `operate` = whatever its owner may do. */
export type AccessTokenScope = 'read' | 'operate';

/** One of the caller's personal access tokens (GET /api/access-tokens); the secret itself is never shown again. */
export interface AccessTokenDto {
  id: number;
  name: string;
  scope: AccessTokenScope;
  /** `ecp_…abcd`: enough to tell two tokens apart. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface CreateAccessTokenRequest {
  name: string;
  scope: AccessTokenScope;
  /** Days until it stops working; omitted: never expires. */
  expiresInDays?: number;
}

/** The one response that carries the token: store it now, it cannot be shown again. */
export interface CreatedAccessTokenDto extends AccessTokenDto {
  token: string;
}
