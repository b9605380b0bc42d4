import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { ApprovalDecisionRequest, ApprovalDto, DecisionChannel } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { currentHuman } from '../auth/current-human';
import { conflict, forbidden, notFound } from '../common/api-error';
import { dbTime } from '../common/db-time';
import { isUniqueViolation } from '../agents/agents.service';
import { splitCommand } from '../commands/command-text';
import { AllowRule } from './allow-rule.entity';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalNotifier } from './approval-notifier';
import { retryTransient } from '../commands/db-retry';
import { Approval } from './approval.entity';
import { toApprovalDto } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

/** One human decision per approval: a conditional update picks the winner, everyone else gets CONFLICT. */
@Injectable()
export class ApprovalDecisions {
  constructor(
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    @InjectRepository(AllowRule) private readonly rules: Repository<AllowRule>,
    private readonly dispatcher: ApprovalDispatcher,
    private readonly notifier: ApprovalNotifier,
  ) {}

  async decide(actor: AuthActor, id: number, body: ApprovalDecisionRequest, channel: DecisionChannel): Promise<ApprovalDto> {
    // The role as it is now, not as the socket's handshake or the request's token saw it.
    actor = await currentHuman(this.dataSource, actor);
    const current = await this.approvals.findOneBy({ id });
    if (!current) throw notFound('Approval');
    const isRequester = current.requestedBy === actor.id;
    const mayDecide = actor.kind === 'ADMIN' || (isRequester && this.settings.approvals().requesterMayApprove);
    if (!mayDecide) throw forbidden(isRequester ? 'Only an admin can decide on this approval' : "You cannot decide on someone else's approval");
    if (body.remember && actor.kind !== 'ADMIN') throw forbidden('Only an admin can create an allow-rule');
    if (current.status !== 'PENDING') throw conflict(`Approval #${id} is already ${current.status}${current.decidedByName ? ` (decided by ${current.decidedByName})` : ''}`);

    const command = body.approved && body.command?.trim() ? body.command.trim() : current.command;
    const res = await retryTransient(() =>
      this.approvals
        .createQueryBuilder()
        .update(Approval)
        .set({
          status: body.approved ? 'APPROVED' : 'REJECTED',
          command,
          decidedBy: actor.id,
          decidedByName: actor.name,
          decidedAt: new Date(),
          decisionChannel: channel,
          decisionReason: body.reason?.trim() || null,
          // Only a rejection ends it here; an approval ends when its command does (ApprovalDispatcher).
          followupNode: body.approved ? null : this.notifier.followupNode,
        })
        // The one condition that makes exactly one decision win, whichever node or channel it came through.
        .where('id = :id AND status = :s AND expires_at > :now', { id, s: 'PENDING', now: dbTime(this.dataSource, new Date()) })
        .execute(),
    );
    if (!res.affected) {
      const after = (await this.approvals.findOneBy({ id }))!;
      if (after.status === 'PENDING') throw conflict(`Approval #${id} has expired`);
      throw conflict(`Approval #${id} is already ${after.status}${after.decidedByName ? ` (decided by ${after.decidedByName})` : ''}`);
    }

    let approval = (await this.approvals.findOneBy({ id }))!;
    this.notifier.updated(approval);
    if (!body.approved) {
      this.notifier.settled$.next({ approval, command: null });
      return toApprovalDto(approval);
    }
    if (body.remember === 'always') await this.remember(approval, actor);
    await this.dispatcher.start(id);
    approval = (await this.approvals.findOneBy({ id }))!;
    return toApprovalDto(approval);
  }

  private async remember(a: Approval, admin: AuthActor): Promise<void> {
    try {
      await this.rules.insert({ agentId: a.agentId, agentName: a.agentName, commandName: splitCommand(a.command).name, createdBy: admin.id });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}
