/** What a human JWT carries; the role is re-read from the database on every request. */
export interface JwtPayload {
  sub: number;
  name: string;
  /**
   * The account's token version when the token was issued (`actors.token_version`); a token whose version
   * is no longer current is refused. Tokens issued before versions existed have none: they count as 0.
   */
  tv?: number;
  /** Expiry, seconds since the epoch (set by the signer). */
  exp?: number;
}

/** The version a token was issued under. */
export const tokenVersionOf = (payload: JwtPayload): number => Number(payload.tv ?? 0);
