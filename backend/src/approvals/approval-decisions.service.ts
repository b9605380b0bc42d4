import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ApprovalDecisionRequest, ApprovalDto, DecisionChannel } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { conflict, forbidden, notFound } from '../common/api-error';
import { isUniqueViolation } from '../agents/agents.service';
import { splitCommand } from '../commands/command-text';
import { AllowRule } from './allow-rule.entity';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalTransitions } from './approval-transitions';
import { Approval } from './approval.entity';
import { toApprovalDto } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

/** One human decision per approval: a conditional update picks the winner, everyone else gets CONFLICT. */
@Injectable()
export class ApprovalDecisions {
  constructor(
    private readonly settings: SettingsService,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    @InjectRepository(AllowRule) private readonly rules: Repository<AllowRule>,
    private readonly dispatcher: ApprovalDispatcher,
    private readonly transitions: ApprovalTransitions,
  ) {}

  async decide(actor: AuthActor, id: number, body: ApprovalDecisionRequest, channel: DecisionChannel): Promise<ApprovalDto> {
    const current = await this.approvals.findOneBy({ id });
    if (!current) throw notFound('Approval');
    const isRequester = current.requestedBy === actor.id;
    const mayDecide = actor.kind === 'ADMIN' || (isRequester && this.settings.approvals().requesterMayApprove);
    if (!mayDecide) throw forbidden(isRequester ? 'Only an admin can decide on this approval' : "You cannot decide on someone else's approval");
    if (body.remember && actor.kind !== 'ADMIN') throw forbidden('Only an admin can create an allow-rule');
    if (current.status !== 'PENDING') throw conflict(`Approval #${id} is already ${current.status}${current.decidedByName ? ` (decided by ${current.decidedByName})` : ''}`);

    const command = body.approved && body.command?.trim() ? body.command.trim() : current.command;
    const decided = await this.transitions.decide(id, {
      approved: body.approved,
      command,
      decidedBy: actor.id,
      decidedByName: actor.name,
      channel,
      reason: body.reason?.trim() || null,
    });
    if (!decided) {
      const after = (await this.approvals.findOneBy({ id }))!;
      if (after.status === 'PENDING') throw conflict(`Approval #${id} has expired`);
      throw conflict(`Approval #${id} is already ${after.status}${after.decidedByName ? ` (decided by ${after.decidedByName})` : ''}`);
    }
    if (!body.approved) return toApprovalDto(decided);
    if (body.remember === 'always') await this.remember(decided, actor);
    await this.dispatcher.start(id);
    return toApprovalDto((await this.approvals.findOneBy({ id }))!);
  }

  private async remember(a: Approval, admin: AuthActor): Promise<void> {
    try {
      const commandName = splitCommand(a.command).name;
      await this.rules.insert({ agentId: a.agentId, agentName: a.agentName, commandName, pattern: `${commandName} …`, createdBy: admin.id, createdByName: admin.name });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}
