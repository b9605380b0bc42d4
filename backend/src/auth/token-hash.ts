import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'ec_';

/** 32 random bytes, base64url, with a recognisable prefix (so leaks are easy to grep for). */
export function generateAgentToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashAgentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What a human may see of a token: enough to tell two apart, useless to an attacker. */
export function tokenHint(token: string): string {
  return `${PREFIX}…${token.slice(-4)}`;
}

/** JWTs have three dot-separated parts; agent tokens never contain a dot. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}
