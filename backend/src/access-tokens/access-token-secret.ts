import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'ecp_';

/** 32 random bytes, base64url, with a prefix of its own: leaks are easy to grep for, and the guard tells it from agent tokens. */
export function generateAccessToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/**
 * SHA-256, not bcrypt: the token carries 256 bits of randomness, so a fast hash cannot be brute-forced, and
 * every request with a token is looked up by its hash (a slow, salted hash would cost each request ~100 ms).
 */
export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function accessTokenHint(token: string): string {
  return `${PREFIX}…${token.slice(-4)}`;
}

export function looksLikeAccessToken(token: string): boolean {
  return token.startsWith(PREFIX);
}
