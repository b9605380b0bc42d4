import { Injectable } from '@nestjs/common';
import { ActorsService } from '../actors/actors.service';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ApprovalDecisionRequest, ApprovalDto, DecisionChannel } from '@echocenter/contracts';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { currentHuman } from '../auth/current-human';
import { badRequest, conflict, forbidden, notFound } from '../common/api-error';
import { AllowRules } from './allow-rules.service';
import { ApprovalDispatcher } from './approval-dispatcher.service';
import { ApprovalScopes, sameScope } from './approval-scopes';
import { ApprovalTransitions } from './approval-transitions';
import { Approval, storedTargets } from './approval.entity';
import { toApprovalDto } from './approval.mapper';
import { SettingsService } from '../settings/settings.service';

/**
 * One human decision per approval: a conditional update picks the winner, everyone else gets CONFLICT.
 * Every channel (console socket, REST, one-time link) decides here, so the winner is audited here, once.
 */
@Injectable()
export class ApprovalDecisions {
  constructor(
    private readonly settings: SettingsService,
    private readonly actors: ActorsService,
    @InjectRepository(Approval) private readonly approvals: Repository<Approval>,
    private readonly allowRules: AllowRules,
    private readonly dispatcher: ApprovalDispatcher,
    private readonly transitions: ApprovalTransitions,
    private readonly scopes: ApprovalScopes,
    private readonly audit: AuditService,
  ) {}

  /** `auditDetails`: what the channel adds to the audit row (a link's id). */
  async decide(
    actor: AuthActor,
    id: number,
    body: ApprovalDecisionRequest,
    channel: DecisionChannel,
    auditDetails: Record<string, unknown> = {},
  ): Promise<ApprovalDto> {
    const viaToken = actor.accessToken;
    // The role as it is now, not as the socket's handshake or the request's token saw it.
    actor = await currentHuman(this.actors, actor);
    // A token is a script's or an assistant's: it may ask, never decide, an admin's included (the route is
    // @SessionOnly too). A human approves in the console or through a signed link; otherwise an assistant
    // talked into it could approve its own command_agent requests.
    if (viaToken) throw forbidden('A personal access token cannot decide approvals; use the console');
    const current = await this.approvals.findOneBy({ id });
    if (!current) throw notFound('Approval');
    const isRequester = current.requestedBy === actor.id;
    const mayDecide = actor.kind === 'ADMIN' || (isRequester && this.settings.approvals().requesterMayApprove);
    if (!mayDecide)
      throw forbidden(
        isRequester ? 'Only an admin can decide on this approval' : "You cannot decide on someone else's approval",
      );
    if (body.remember && actor.kind !== 'ADMIN') throw forbidden('Only an admin can create an allow-rule');
    if (current.status !== 'PENDING')
      throw conflict(
        `Approval #${id} is already ${current.status}${current.decidedByName ? ` (decided by ${current.decidedByName})` : ''}`,
      );

    const command = body.approved && body.command?.trim() ? body.command.trim() : current.command;
    const problem = command !== current.command ? this.scopes.problem(current.agentName, command) : null;
    if (problem) throw badRequest(`command: ${problem}`, [{ field: 'command', message: problem }]);
    // The approver saw which nodes it covers: an edit may change what runs there, not where.
    if (
      command !== current.command &&
      !sameScope(await this.scopes.resolve(current.agentName, command), storedTargets(current))
    ) {
      throw badRequest('command: the edit changes which nodes it covers; reject it and ask again', [
        { field: 'command', message: 'must cover the same nodes as the request' },
      ]);
    }
    if (body.rule && body.remember !== 'always')
      throw badRequest('rule: only with remember "always"', [
        { field: 'rule', message: 'only with remember "always"' },
      ]);
    // Checked before deciding: a rule that cannot be made decides nothing.
    const rule =
      body.approved && body.remember === 'always' ? this.allowRules.draft(current, command, body.rule) : null;
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
      throw conflict(
        `Approval #${id} is already ${after.status}${after.decidedByName ? ` (decided by ${after.decidedByName})` : ''}`,
      );
    }
    await this.audit.record(actor, {
      action: body.approved ? 'approval.approved' : 'approval.rejected',
      targetType: 'approval',
      targetId: id,
      targetName: `${decided.agentName}: ${decided.command}`,
      details: {
        channel: channel.toLowerCase(),
        reason: decided.decisionReason,
        edited: command !== current.proposedCommand,
        targets: storedTargets(decided),
        ...auditDetails,
      },
    });
    if (!body.approved) return toApprovalDto(decided);
    if (rule) await this.allowRules.create(decided, rule, actor);
    await this.dispatcher.start(id);
    return toApprovalDto((await this.approvals.findOneBy({ id }))!);
  }
}
