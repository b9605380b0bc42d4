import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthActor } from '../auth/auth-actor';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { actorRoom, type EchoServer } from './socket-types';

// proxy-addr is Express's own (`trust proxy`); typed here, it ships no types of its own.
type ProxyAddr = ((
  req: { headers: IncomingHttpHeaders; connection: { remoteAddress?: string }; socket: { remoteAddress?: string } },
  trust: unknown,
) => string) & {
  compile(trust: string | string[] | number): unknown;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyaddr = require('proxy-addr') as ProxyAddr;

/** Compiles TRUST_PROXY as Express does for REST: a hop count, or a comma-separated list of names/CIDRs. */
function compileTrust(trust: string | number): unknown {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return proxyaddr.compile(trust.split(',').map((s) => s.trim()));
}

const WINDOW_MS = 60_000;
/** Addresses remembered at most (a flood of spoofed sources cannot grow memory without bound). */
const MAX_ADDRESSES = 10_000;

export type GateRefusal = 'RATE_LIMITED' | 'TOO_MANY_SOCKETS';

/**
 * Per-node limits taken at the door, before a socket exists (Socket.IO handshake and `/api/ws` upgrade):
 * - refused handshakes per source address and minute: past the limit, a handshake from that address is
 *   refused `RATE_LIMITED` without reading its token (a token-guessing loop costs nothing);
 * - sockets per actor (humans, agents): the **newest** over the cap is refused `TOO_MANY_SOCKETS`, so a
 *   leaked token cannot push the owner's live sockets out; the owner closes one to get in.
 * Admissions between the check and the room join (Socket.IO joins one tick later) count as held.
 */
@Injectable()
export class HandshakeGate {
  private readonly trust: unknown;
  private readonly failures = new Map<string, { windowStart: number; count: number }>();
  private readonly admitting = new Map<number, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.trust = compileTrust(config.trustProxy);
  }

  /** The client's address, through trusted proxies only (TRUST_PROXY, as for REST). */
  addressOf(headers: IncomingHttpHeaders, remoteAddress: string | undefined): string {
    try {
      return proxyaddr({ headers, connection: { remoteAddress }, socket: { remoteAddress } }, this.trust);
    } catch {
      return remoteAddress ?? '';
    }
  }

  /** False when this address has used up its refused handshakes for the current minute. */
  addressAllowed(address: string): boolean {
    const entry = this.failures.get(address);
    return (
      !entry || Date.now() - entry.windowStart >= WINDOW_MS || entry.count < this.config.limits.failedHandshakesPerMin
    );
  }

  /** Counts one refused (UNAUTHORIZED) handshake against its address. */
  failed(address: string): void {
    const now = Date.now();
    const entry = this.failures.get(address);
    if (entry && now - entry.windowStart < WINDOW_MS) {
      entry.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= MAX_ADDRESSES) this.prune(now);
    this.failures.set(address, { windowStart: now, count: 1 });
  }

  /**
   * Takes a place for one more socket of this actor on this node, or null when it holds its cap already.
   * Call the returned release once the socket has joined its rooms (or did not open).
   */
  admit(server: EchoServer, actor: AuthActor): (() => void) | null {
    const cap = actor.kind === 'AGENT' ? this.config.limits.socketsPerAgent : this.config.limits.socketsPerHuman;
    const held =
      (server.of('/').adapter.rooms.get(actorRoom(actor.id))?.size ?? 0) + (this.admitting.get(actor.id) ?? 0);
    if (held >= cap) return null;
    this.admitting.set(actor.id, (this.admitting.get(actor.id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.admitting.get(actor.id) ?? 1) - 1;
      if (left > 0) this.admitting.set(actor.id, left);
      else this.admitting.delete(actor.id);
    };
  }

  private prune(now: number): void {
    for (const [address, entry] of this.failures)
      if (now - entry.windowStart >= WINDOW_MS) this.failures.delete(address);
    // Still full of live windows: forget the oldest (Map keeps insertion order).
    while (this.failures.size >= MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }
}
