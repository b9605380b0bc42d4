import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AccessTokensService } from '../access-tokens/access-tokens.service';
import { looksLikeAccessToken } from '../access-tokens/access-token-secret';
import { isHuman, type AuthActor } from '../auth/auth-actor';
import type { JwtPayload } from '../auth/jwt-payload';
import { JwtStrategy } from '../auth/jwt.strategy';
import { looksLikeJwt } from '../auth/token-hash';

/**
 * Who calls /mcp: a personal access token, or a console JWT (checked exactly as the REST guard checks it:
 * signature, then account, disabled flag and session version). Agent tokens are refused: /mcp is for humans'
 * assistants and IDEs. Null when the bearer is missing or does not verify.
 */
@Injectable()
export class McpCaller {
  constructor(
    private readonly jwt: JwtService,
    private readonly strategy: JwtStrategy,
    private readonly accessTokens: AccessTokensService,
  ) {}

  async resolve(req: Request): Promise<AuthActor | null> {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (!token) return null;
    try {
      if (looksLikeAccessToken(token)) return await this.accessTokens.verify(token);
      if (!looksLikeJwt(token)) return null;
      const payload = await this.jwt.verifyAsync<JwtPayload>(token, { algorithms: ['HS256'] });
      const actor = await this.strategy.validate(payload);
      return isHuman(actor) ? actor : null;
    } catch {
      return null;
    }
  }
}

/** `read` tokens get read-only tools; `operate` tokens and console sessions get what their user may do. */
export const mayOperate = (caller: AuthActor): boolean => caller.accessToken?.scope !== 'read';
