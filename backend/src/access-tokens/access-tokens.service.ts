import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { AccessTokenDto, CreateAccessTokenRequest, CreatedAccessTokenDto } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { forbidden, notFound } from '../common/api-error';
import { AccessToken } from './access-token.entity';
import { toAccessTokenDto } from './access-token.mapper';
import { accessTokenHint, generateAccessToken, hashAccessToken } from './access-token-secret';

// Last-used time is for humans deciding what to revoke: a write per minute per token is precise enough,
// and a busy script does not turn every request into a write.
const TOUCH_EVERY_MS = 60_000;
const MAX_TOKENS_PER_USER = 50;

/** Humans' personal access tokens: each user creates, lists and revokes their own; the guards verify them. */
@Injectable()
export class AccessTokensService {
  constructor(
    @InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>,
    private readonly actors: ActorsService,
    private readonly audit: AuditService,
  ) {}

  async list(owner: AuthActor): Promise<AccessTokenDto[]> {
    const rows = await this.tokens.find({ where: { ownerId: owner.id, revokedAt: IsNull() }, order: { id: 'DESC' } });
    return rows.map(toAccessTokenDto);
  }

  async create(owner: AuthActor, req: CreateAccessTokenRequest): Promise<CreatedAccessTokenDto> {
    // A token cannot mint tokens: a leaked `read` token must not become an `operate` one.
    if (owner.accessToken)
      throw forbidden('Personal access tokens are managed from a console session, not with a token');
    if ((await this.tokens.countBy({ ownerId: owner.id, revokedAt: IsNull() })) >= MAX_TOKENS_PER_USER)
      throw forbidden(`At most ${MAX_TOKENS_PER_USER} tokens per user; revoke one first`);
    const secret = generateAccessToken();
    const expiresAt = req.expiresInDays ? new Date(Date.now() + req.expiresInDays * 86_400_000) : null;
    const row = await this.tokens.save(
      this.tokens.create({
        ownerId: owner.id,
        name: req.name.trim(),
        scope: req.scope,
        tokenHash: hashAccessToken(secret),
        tokenHint: accessTokenHint(secret),
        expiresAt,
        createdAt: new Date(),
      }),
    );
    await this.audit.record(owner, {
      action: 'access_token.created',
      targetType: 'access_token',
      targetId: row.id,
      targetName: row.name,
      details: { scope: row.scope, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { ...toAccessTokenDto(row), token: secret };
  }

  async revoke(owner: AuthActor, id: number): Promise<void> {
    if (owner.accessToken)
      throw forbidden('Personal access tokens are managed from a console session, not with a token');
    const row = await this.tokens.findOneBy({ id, ownerId: owner.id, revokedAt: IsNull() });
    // Someone else's token is reported as missing, so ids do not tell whose tokens exist.
    if (!row) throw notFound('Access token');
    await this.tokens.update({ id }, { revokedAt: new Date() });
    await this.audit.record(owner, {
      action: 'access_token.revoked',
      targetType: 'access_token',
      targetId: row.id,
      targetName: row.name,
    });
  }

  /**
   * The human a token stands for, with their role as the database says now (a token never carries a role of
   * its own, so demoting or disabling the user takes effect at once); null for unknown, revoked or expired.
   */
  async verify(secret: string): Promise<AuthActor | null> {
    const row = await this.tokens.findOneBy({ tokenHash: hashAccessToken(secret) });
    const now = new Date();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    const user = await this.actors.findById(row.ownerId);
    if (!user || user.type !== 'HUMAN' || user.disabled) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS)
      await this.tokens.update({ id: row.id }, { lastUsedAt: now });
    return { id: user.id, name: user.name, kind: user.kind, accessToken: { id: row.id, scope: row.scope } };
  }
}
