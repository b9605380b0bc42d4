import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ActorsService } from '../actors/actors.service';
import type { AuthActor } from '../auth/auth-actor';
import { tokenVersionOf, type JwtPayload } from '../auth/jwt-payload';
import { hashAgentToken, looksLikeJwt } from '../auth/token-hash';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { RefusedTokens, refusedKey } from './refused-tokens';

/** Who a socket belongs to, and until when (a human JWT's expiry, epoch ms; agent tokens do not expire). */
export interface SocketIdentity {
  actor: AuthActor;
  expiresAt: number | null;
  /** The human JWT's token version; null for agents. */
  tokenVersion: number | null;
}

/**
 * Who a handshake token belongs to: a human JWT (signature checked once here, never per message, then the
 * same account checks as the REST guard: exists, human, not disabled, token version current) or an agent
 * token (the hash of an existing, enabled agent's credential, as AgentsService.verifyToken checks it). Null
 * means UNAUTHORIZED. One fixed-text query each (ActorsService's), because thousands of agents (re)connect
 * at once after a restart.
 */
@Injectable()
export class SocketAuthService {
  // jsonwebtoken verifies ~30x faster with a KeyObject than with a string secret (STACK.md).
  private readonly key: KeyObject;
  /** Tokens just refused: asked again within the TTL, refused without a database lookup (a reconnect loop). */
  private readonly refused: RefusedTokens;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jwt: JwtService,
    private readonly actors: ActorsService,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
    this.refused = new RefusedTokens(config.limits.badTokenTtlMs);
  }

  async authenticate(token: unknown): Promise<SocketIdentity | null> {
    if (typeof token !== 'string' || !token || token.length > 4096) return null;
    const key = refusedKey(token);
    if (this.refused.has(key)) return null;
    const identity = await (looksLikeJwt(token) ? this.human(token) : this.agent(token));
    if (!identity) this.refused.add(key);
    return identity;
  }

  private async agent(token: string): Promise<SocketIdentity | null> {
    if (token.length > 200) return null;
    const agent = await this.actors.findAgentByTokenHash(hashAgentToken(token));
    return agent
      ? { actor: { id: agent.id, name: agent.name, kind: 'AGENT' }, expiresAt: null, tokenVersion: null }
      : null;
  }

  private async human(token: string): Promise<SocketIdentity | null> {
    let payload: JwtPayload;
    try {
      payload = await this.jwt.verifyAsync<JwtPayload & object>(token, {
        secret: this.key as unknown as string,
        algorithms: ['HS256'],
      });
    } catch {
      return null;
    }
    const row = await this.actors.humanSession(Number(payload.sub));
    const tokenVersion = tokenVersionOf(payload);
    if (!row || Number(row.disabled) || tokenVersion !== Number(row.token_version)) return null;
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
    return { actor: { id: Number(row.id), name: row.name, kind: row.role ?? 'MEMBER' }, expiresAt, tokenVersion };
  }

  /**
   * Whether a human socket's account is still as its handshake found it. Asked once more after the socket
   * joined its rooms: a change committed between the handshake's read and the join disconnected nobody
   * (the socket was in no room yet), and would otherwise leave it open until its JWT expires.
   */
  async stillCurrent(actor: AuthActor, tokenVersion: number): Promise<boolean> {
    const row = await this.actors.humanSession(actor.id);
    return (
      !!row &&
      !Number(row.disabled) &&
      Number(row.token_version) === tokenVersion &&
      (row.role ?? 'MEMBER') === actor.kind
    );
  }
}
