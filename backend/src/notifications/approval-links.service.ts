import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import type { Approval } from '../approvals/approval.entity';
import { dbTime } from '../common/db-time';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ApprovalLink } from './approval-link.entity';

const PREFIX = 'eca_';

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token that cannot be one of ours is refused before touching the database. */
const TOKEN_SHAPE = /^eca_[A-Za-z0-9_-]{43}$/;

/** Wrong passwords a link survives when links require a login. */
export const MAX_LOGIN_FAILURES = 3;

export type LinkProblem = 'unknown' | 'used' | 'expired';

/** One-time decision links: issued per recipient when a message is sent, stored hashed, consumed once. */
@Injectable()
export class ApprovalLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectRepository(ApprovalLink) private readonly links: Repository<ApprovalLink>,
  ) {}

  /**
   * A fresh link for one admin. Issued at send time, not when the outbox row is written, so the raw token
   * lives only in the message: a retry of the same notification carries new links (earlier ones stay valid).
   */
  async issue(
    approval: Approval,
    actorId: number,
    notificationId: number | null,
    requiresSignIn: boolean,
  ): Promise<string> {
    const token = PREFIX + randomBytes(32).toString('base64url');
    await this.links.insert({
      tokenHash: hashLinkToken(token),
      approvalId: approval.id,
      actorId,
      notificationId,
      expiresAt: approval.expiresAt,
      requiresSignIn,
    });
    return `${this.config.notifications.publicUrl}/a/${token}`;
  }

  /** The link a token names, or why it cannot be used. Changes nothing (GET must not). */
  async resolve(token: string): Promise<{ link: ApprovalLink } | { problem: LinkProblem }> {
    if (!TOKEN_SHAPE.test(token)) return { problem: 'unknown' };
    const link = await this.links.findOneBy({ tokenHash: hashLinkToken(token) });
    if (!link) return { problem: 'unknown' };
    if (link.usedAt) return { problem: 'used' };
    if (link.expiresAt.getTime() <= Date.now()) return { problem: 'expired' };
    return { link };
  }

  /** Counts a wrong password; at MAX_LOGIN_FAILURES the link is used up (one guess less each time, never unlimited). */
  async failedLogin(link: ApprovalLink): Promise<void> {
    await this.links
      .createQueryBuilder()
      .update(ApprovalLink)
      .set({ failures: () => 'failures + 1' })
      .where({ id: link.id })
      .execute();
    await this.links
      .createQueryBuilder()
      .update(ApprovalLink)
      .set({ usedAt: new Date() })
      .where({ id: link.id, usedAt: IsNull() })
      .andWhere('failures >= :max', { max: MAX_LOGIN_FAILURES })
      .execute();
  }

  /**
   * Gives a consumed link back after its decision failed for a passing reason (nothing was decided). Safe without
   * a condition: while it is used nothing else writes used_at, and a decision that did commit makes any reuse a
   * CONFLICT. A link ended by wrong passwords (failures at the limit) stays ended.
   */
  async restore(link: ApprovalLink): Promise<void> {
    await this.links
      .createQueryBuilder()
      .update(ApprovalLink)
      .set({ usedAt: null })
      .where({ id: link.id })
      .andWhere('failures < :max', { max: MAX_LOGIN_FAILURES })
      .execute();
  }

  /** Marks it used; false when it already was (a replay racing the first use) or has just expired. */
  async consume(link: ApprovalLink): Promise<boolean> {
    const now = new Date();
    const res = await this.links
      .createQueryBuilder()
      .update(ApprovalLink)
      .set({ usedAt: now })
      .where({ id: link.id, usedAt: IsNull() })
      .andWhere('expires_at > :now', { now: dbTime(this.dataSource, now) })
      .execute();
    return !!res.affected;
  }
}
