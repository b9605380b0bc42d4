import { createHash } from 'node:crypto';

/** Tokens remembered at most; a flood of distinct garbage evicts the oldest, it cannot grow memory. */
const MAX_TOKENS = 10_000;

/** What the cache keeps of a token: its SHA-256, never the token itself. */
export function refusedKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * A short negative cache of refused handshake tokens, so a client retrying a dead or garbage token in a
 * loop costs one database lookup per TTL instead of one per attempt. A refusal can only turn into an
 * acceptance by an admin re-enabling a disabled agent; that agent waits at most one TTL (JWTs refused
 * once stay refused: a token version never comes back).
 */
export class RefusedTokens {
  private readonly until = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  has(key: string): boolean {
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.ttlMs <= 0) return;
    this.until.delete(key);
    while (this.until.size >= MAX_TOKENS) this.until.delete(this.until.keys().next().value!);
    this.until.set(key, Date.now() + this.ttlMs);
  }

  get size(): number {
    return this.until.size;
  }
}
