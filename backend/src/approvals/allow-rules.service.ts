import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { AllowRuleDto, AllowRuleScope, FieldError } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest, notFound } from '../common/api-error';
import { dbTime } from '../common/db-time';
import { splitCommand } from '../commands/command-text';
import { OPS_RUN } from '../ops/ops-commands';
import { AllowRule } from './allow-rule.entity';
import { exactPattern, hasInvisible, patternCovers, patternProblem } from './allow-rule-pattern';
import type { Approval } from './approval.entity';
import { toRuleDto } from './approval.mapper';

export const RULE_DAYS_DEFAULT = 30;
export const RULE_DAYS_MAX = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A rule checked against the approval it comes from, ready to store once the approval is decided. */
export interface RuleDraft {
  pattern: string;
  requesterId: number | null;
  expiresInDays: number;
}

/** What a request asks, as far as rules care. */
export interface RuleQuery {
  agentId: number;
  command: string;
  requesterId: number;
}

/**
 * The allow-rules behind "always allow": made by an admin from an approval (narrow by default), found
 * for a request (live, covering, counted once per use), listed and revoked. Audited.
 */
@Injectable()
export class AllowRules {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(AllowRule) private readonly rules: Repository<AllowRule>,
    private readonly actors: ActorsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the scope an approver asked for against the approval and the command that will run; throws a
   * 400 with field details. Called before the decision, so a bad rule decides nothing.
   */
  draft(approval: Approval, command: string, scope: AllowRuleScope = {}): RuleDraft {
    const errors: FieldError[] = [];
    if (approval.policy === 'DESTRUCTIVE')
      errors.push({ field: 'remember', message: 'a destructive command needs a human for every run: no allow-rule' });
    if (hasInvisible(command))
      errors.push({ field: 'command', message: 'contains control, bidi or invisible characters: no allow-rule' });
    const pattern = scope.pattern?.trim() || exactPattern(command);
    // `run` carries free shell text: a rule may repeat only the exact text the approver read (or wrote).
    if (splitCommand(command).name === OPS_RUN && pattern !== exactPattern(command)) {
      errors.push({
        field: 'rule.pattern',
        message: `a rule for run may only cover the exact command text "${exactPattern(command)}"`,
      });
    }
    const problem = patternProblem(pattern, splitCommand(command).name);
    if (problem) errors.push({ field: 'rule.pattern', message: problem });
    else if (!patternCovers(pattern, command))
      errors.push({ field: 'rule.pattern', message: `must cover the approved command "${command}"` });
    const requesterId = scope.requesterId ?? null;
    if (requesterId !== null && requesterId !== approval.requestedBy) {
      errors.push({
        field: 'rule.requesterId',
        message: `must be the requester of this approval (${approval.requestedBy}) or null`,
      });
    }
    if (errors.length) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    return { pattern, requesterId, expiresInDays: scope.expiresInDays ?? RULE_DAYS_DEFAULT };
  }

  async create(approval: Approval, draft: RuleDraft, admin: AuthActor): Promise<AllowRule> {
    const requester = draft.requesterId === null ? null : await this.actors.ref(draft.requesterId);
    // insert, not save: save opens a transaction, and two on SQLite's one connection at once collide.
    const { identifiers } = await this.rules.insert({
      agentId: approval.agentId,
      agentName: approval.agentName,
      commandName: splitCommand(approval.command).name,
      pattern: draft.pattern,
      requesterId: draft.requesterId,
      requesterName: requester?.name ?? null,
      createdBy: admin.id,
      createdByName: admin.name,
      approvalId: approval.id,
      expiresAt: new Date(Date.now() + draft.expiresInDays * DAY_MS),
      hits: 0,
      lastUsedAt: null,
    });
    const rule = (await this.rules.findOneBy({ id: identifiers[0].id as number }))!;
    await this.audit.record(admin, {
      action: 'rule.created',
      targetType: 'rule',
      targetId: rule.id,
      targetName: `${rule.agentName}: ${rule.pattern}`,
      details: {
        approvalId: approval.id,
        agentId: rule.agentId,
        pattern: rule.pattern,
        requesterId: rule.requesterId,
        expiresAt: rule.expiresAt?.toISOString(),
      },
    });
    return rule;
  }

  /**
   * The first live rule that covers this request, already counted (hits, last used). The count is one
   * conditional update that also re-checks the expiry, so a rule revoked or expiring meanwhile does not fire.
   */
  async fire(q: RuleQuery): Promise<AllowRule | null> {
    const now = new Date();
    const at = dbTime(this.dataSource, now);
    const candidates = await this.rules
      .createQueryBuilder('r')
      .where('r.agentId = :agentId AND r.commandName = :name', {
        agentId: q.agentId,
        name: splitCommand(q.command).name,
      })
      .andWhere(new Brackets((w) => w.where('r.expiresAt IS NULL').orWhere('r.expiresAt > :at', { at })))
      .andWhere(
        new Brackets((w) =>
          w.where('r.requesterId IS NULL').orWhere('r.requesterId = :requester', { requester: q.requesterId }),
        ),
      )
      .orderBy('r.id', 'ASC')
      .getMany();
    for (const rule of candidates) {
      if (!patternCovers(rule.pattern, q.command)) continue;
      // A rule stands for its maker's decision: it stops with their admin rights (demoted, disabled, deleted).
      if (!(await this.makerIsAdmin(rule.createdBy))) continue;
      const res = await this.rules
        .createQueryBuilder()
        .update(AllowRule)
        .set({ hits: () => 'hits + 1', lastUsedAt: now })
        .where('id = :id', { id: rule.id })
        .andWhere(new Brackets((w) => w.where('expires_at IS NULL').orWhere('expires_at > :at', { at })))
        .execute();
      if (res.affected) return rule;
    }
    return null;
  }

  private async makerIsAdmin(actorId: number): Promise<boolean> {
    const maker = await this.actors.findById(actorId);
    return !!maker && maker.type === 'HUMAN' && maker.role === 'ADMIN' && !maker.disabled;
  }

  async list(): Promise<AllowRuleDto[]> {
    return (await this.rules.find({ order: { id: 'ASC' } })).map(toRuleDto);
  }

  async revoke(admin: AuthActor, id: number): Promise<void> {
    const rule = await this.rules.findOneBy({ id });
    const res = rule && (await this.rules.delete({ id }));
    if (!rule || !res?.affected) throw notFound('Allow-rule');
    await this.audit.record(admin, {
      action: 'rule.revoked',
      targetType: 'rule',
      targetId: id,
      targetName: `${rule.agentName}: ${rule.pattern}`,
      details: { approvalId: rule.approvalId, hits: rule.hits },
    });
  }
}
