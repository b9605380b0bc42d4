import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ApprovalDto, CommandPolicy, ApprovalStatus, Page } from '@echocenter/contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest, forbidden, notFound } from '../common/api-error';
import { toPage } from '../common/pagination';
import type { AgentCommand } from '../commands/agent-command.entity';
import { AllowRules } from './allow-rules.service';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalScopes } from './approval-scopes';
import { ApprovalTransitions } from './approval-transitions';
import { Approval } from './approval.entity';
import { toApprovalDto } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

export interface ApprovalRequest {
  conversationId: number | null;
  requester: AuthActor;
  agentId: number;
  agentName: string;
  command: string;
  reasoning: string;
  /** The command's effective policy; DESTRUCTIVE is never decided by an allow-rule. Default (and for READ_ONLY) NEEDS_APPROVAL. */
  policy?: CommandPolicy;
}

/** What the Butler's tool learns: either a pending approval, or (allow-rule) a command already running. */
export interface ApprovalOutcome {
  approval: Approval;
  command: AgentCommand | null;
}

/** Creating (decided at once when an allow-rule covers it), reading and listing approvals. */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly settings: SettingsService,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly allowRules: AllowRules,
    private readonly dispatcher: ApprovalDispatcher,
    private readonly transitions: ApprovalTransitions,
    private readonly scopes: ApprovalScopes,
    private readonly audit: AuditService,
  ) {}

  /** What the feature owning the command finds wrong with its arguments (ops: a bad unit name), or null. */
  problem(agentName: string, command: string): string | null {
    return this.scopes.problem(agentName, command);
  }

  async request(req: ApprovalRequest): Promise<ApprovalOutcome> {
    const problem = this.scopes.problem(req.agentName, req.command);
    if (problem) throw badRequest(`command: ${problem}`, [{ field: 'command', message: problem }]);
    // A READ_ONLY command asks only when the hub asks for everything (APPROVAL_POLICY=always): it needs approval then.
    const policy: CommandPolicy = req.policy === 'DESTRUCTIVE' ? 'DESTRUCTIVE' : 'NEEDS_APPROVAL';
    // A destructive command always asks a human: rules never decide it.
    const rule =
      policy === 'DESTRUCTIVE'
        ? null
        : await this.allowRules.fire({ agentId: req.agentId, command: req.command, requesterId: req.requester.id });
    // Fixed now, shown to the approver, and the only nodes it runs on (not whatever the tag names later).
    const targets = await this.scopes.resolve(req.agentName, req.command);
    const now = new Date();
    const base = {
      conversationId: req.conversationId,
      requestedBy: req.requester.id,
      viaTokenId: req.requester.accessToken?.id ?? null,
      agentId: req.agentId,
      agentName: req.agentName,
      command: req.command,
      proposedCommand: req.command,
      reasoning: req.reasoning,
      policy,
      targets: targets === null ? null : JSON.stringify(targets),
      expiresAt: new Date(now.getTime() + this.settings.approvals().ttlMs),
    };
    if (!rule) return { approval: await this.transitions.open({ ...base, status: 'PENDING' }), command: null };
    // A standing "always allow" decides at once; the audit trail names the rule and who made it.
    const approval = await this.transitions.open({
      ...base,
      status: 'APPROVED',
      decidedBy: rule.createdBy,
      decidedByName: rule.createdByName || null,
      decidedAt: now,
      decisionChannel: 'RULE',
      decisionReason: `allow-rule #${rule.id} (${rule.agentName}: ${rule.pattern})`,
    });
    // Audited like a human decision: the rule's maker answers for it.
    await this.audit.record(
      { id: rule.createdBy, name: rule.createdByName || 'allow-rule' },
      {
        action: 'approval.approved',
        targetType: 'approval',
        targetId: approval.id,
        targetName: `${approval.agentName}: ${approval.command}`,
        details: { channel: 'rule', ruleId: rule.id, reason: approval.decisionReason, edited: false, targets: targets },
      },
    );
    const command = await this.dispatcher.start(approval.id);
    return { approval: (await this.approvals.findOneBy({ id: approval.id }))!, command };
  }

  /** The row itself, for features that report on approvals (notifications); no access check: callers decide who sees what. */
  find(id: number): Promise<Approval | null> {
    return this.approvals.findOneBy({ id });
  }

  async get(actor: AuthActor, id: number): Promise<ApprovalDto> {
    const a = await this.approvals.findOneBy({ id });
    if (!a) throw notFound('Approval');
    if (actor.kind !== 'ADMIN' && a.requestedBy !== actor.id) throw forbidden();
    return toApprovalDto(a);
  }

  /** Admins see every approval; members see the ones asked for them. */
  async list(
    actor: AuthActor,
    q: { status?: ApprovalStatus[]; agentId?: number; requestedBy?: number; before?: number; limit?: number },
  ): Promise<Page<ApprovalDto>> {
    const limit = q.limit ?? 50;
    const qb = this.approvals
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .take(limit + 1);
    if (q.status?.length) qb.andWhere('a.status IN (:...status)', { status: q.status });
    if (q.before !== undefined) qb.andWhere('a.id < :before', { before: q.before });
    if (q.agentId !== undefined) qb.andWhere('a.agentId = :agentId', { agentId: q.agentId });
    if (q.requestedBy !== undefined) qb.andWhere('a.requestedBy = :requestedBy', { requestedBy: q.requestedBy });
    if (actor.kind !== 'ADMIN') qb.andWhere('a.requestedBy = :me', { me: actor.id });
    return toPage((await qb.getMany()).map(toApprovalDto), limit);
  }
}
