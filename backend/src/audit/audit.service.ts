import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AuditAction, AuditEntryDto, Page } from '@echocenter/contracts';
import { iso } from '../common/dates';
import { toPage } from '../common/pagination';
import { AuditEntry } from './audit-entry.entity';

/** Who acted: an admin (or the system, with a null id). */
export interface AuditActor {
  id: number | null;
  name: string;
}

export interface AuditRecord {
  /** One of the contract's list: the console labels each in every language. */
  action: AuditAction;
  targetType: string;
  targetId?: number | null;
  targetName?: string | null;
  /** Plain data, stored as JSON. Never a secret: callers pass names and flags, not values of secrets. */
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  before?: number;
  limit?: number;
  action?: string;
  targetType?: string;
  actorId?: number;
}

/** The admin audit trail: other features call `record`, admins read it through GET /api/audit. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(actor: AuditActor, r: AuditRecord): Promise<void> {
    // Done with a personal access token: the row names the token, so a leaked one's actions can be told apart.
    const viaTokenId = (actor as { accessToken?: { id: number } }).accessToken?.id;
    const details = viaTokenId === undefined ? r.details : { ...r.details, viaTokenId };
    await this.entries.insert({
      actorId: actor.id,
      actorName: actor.name.slice(0, 64),
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId ?? null,
      targetName: r.targetName?.slice(0, 160) ?? null,
      details: details ? JSON.stringify(details) : null,
    });
    const line = `${actor.name} ${r.action} ${r.targetType}${r.targetId ? ` #${r.targetId}` : ''}`;
    // A person's action is news; the hub's own (the demo fleet registering itself at start) is start-up detail.
    if (actor.id === null) this.logger.debug(line);
    else this.logger.log(line);
  }

  async list(q: AuditQuery): Promise<Page<AuditEntryDto>> {
    const limit = q.limit ?? 50;
    const qb = this.entries
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .take(limit + 1);
    if (q.before !== undefined) qb.andWhere('e.id < :before', { before: q.before });
    if (q.action) qb.andWhere('e.action = :action', { action: q.action });
    if (q.targetType) qb.andWhere('e.targetType = :targetType', { targetType: q.targetType });
    if (q.actorId !== undefined) qb.andWhere('e.actorId = :actorId', { actorId: q.actorId });
    return toPage((await qb.getMany()).map(toAuditEntryDto), limit);
  }
}

export function toAuditEntryDto(e: AuditEntry): AuditEntryDto {
  return {
    id: e.id,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetName: e.targetName,
    details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null,
    createdAt: iso(e.createdAt)!,
  };
}
