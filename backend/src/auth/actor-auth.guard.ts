import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ActorKind } from '@echocenter/contracts';
import { AccessTokensService } from '../access-tokens/access-tokens.service';
import { looksLikeAccessToken } from '../access-tokens/access-token-secret';
import { AgentsService } from '../agents/agents.service';
import { forbidden, unauthorized } from '../common/api-error';
import type { AuthActor } from './auth-actor';
import { ALLOWED_KINDS, IS_PUBLIC, SESSION_ONLY } from './auth.decorators';
import { JwtAuthGuard } from './jwt-auth.guard';
import { looksLikeJwt } from './token-hash';

const HUMANS: ActorKind[] = ['ADMIN', 'MEMBER'];
type AuthedRequest = Request & { actor?: AuthActor; user?: AuthActor };

const READS = ['GET', 'HEAD'];

/**
 * The one global guard: a bearer JWT (humans, via passport-jwt), a personal access token or an agent token
 * (hash lookups), then the route's allowed kinds. 401 when nobody is authenticated, 403 when the kind (or a
 * `read` token's scope) is not allowed, or when a personal access token reaches a `@SessionOnly()` route.
 */
@Injectable()
export class ActorAuthGuard implements CanActivate {
  private readonly jwtGuard = new JwtAuthGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly agents: AgentsService,
    private readonly accessTokens: AccessTokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<ActorKind[]>(ALLOWED_KINDS, targets) ?? HUMANS;

    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) throw unauthorized();

    if (looksLikeJwt(token)) {
      await this.jwtGuard.canActivate(context);
      req.actor = req.user;
    } else if (looksLikeAccessToken(token)) {
      const human = await this.accessTokens.verify(token);
      if (!human) throw unauthorized('Invalid, expired or revoked access token');
      // A read token reads; it never changes anything, whatever its owner may do.
      if (human.accessToken!.scope === 'read' && !READS.includes(req.method.toUpperCase()))
        throw forbidden('This access token has the read scope only');
      req.actor = human;
    } else {
      const agent = await this.agents.verifyToken(token);
      if (!agent) throw unauthorized('Invalid agent token');
      req.actor = { id: agent.id, name: agent.name, kind: 'AGENT' };
    }
    if (!allowed.includes(req.actor!.kind)) throw forbidden();
    if (req.actor!.accessToken && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets))
      throw forbidden('This is done from a console session, not with a personal access token');
    return true;
  }
}
