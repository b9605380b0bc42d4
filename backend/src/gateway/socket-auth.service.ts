import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ActorsService } from '../actors/actors.service';
import { AgentsService } from '../agents/agents.service';
import type { AuthActor } from '../auth/auth-actor';
import type { JwtPayload } from '../auth/jwt-payload';
import { looksLikeJwt } from '../auth/token-hash';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Who a handshake token belongs to: a human JWT (signature checked once here, never per message, then the
 * same account checks as the REST guard) or an agent token. Null means UNAUTHORIZED.
 */
@Injectable()
export class SocketAuthService {
  // jsonwebtoken verifies ~30x faster with a KeyObject than with a string secret (STACK.md).
  private readonly key: KeyObject;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jwt: JwtService,
    private readonly actors: ActorsService,
    private readonly agents: AgentsService,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
  }

  async authenticate(token: unknown): Promise<AuthActor | null> {
    if (typeof token !== 'string' || !token || token.length > 4096) return null;
    if (!looksLikeJwt(token)) {
      const agent = await this.agents.verifyToken(token);
      return agent ? { id: agent.id, name: agent.name, kind: 'AGENT' } : null;
    }
    let payload: JwtPayload;
    try {
      payload = await this.jwt.verifyAsync<JwtPayload & object>(token, { secret: this.key as unknown as string, algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const user = await this.actors.findById(Number(payload.sub));
    if (!user || user.type !== 'HUMAN' || user.disabled) return null;
    return { id: user.id, name: user.name, kind: user.kind };
  }
}
