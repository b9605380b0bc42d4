import type { AllowRuleDto, ApprovalDto, ApprovalRequestedEvent } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { AllowRule } from './allow-rule.entity';
import { storedTargets, type Approval } from './approval.entity';

export function toApprovalDto(a: Approval): ApprovalDto {
  return {
    id: a.id,
    conversationId: a.conversationId,
    requestedBy: a.requestedBy,
    requestedViaTokenId: a.viaTokenId ?? null,
    agentId: a.agentId,
    agentName: a.agentName,
    command: a.command,
    proposedCommand: a.proposedCommand,
    executedCommand: a.executedCommand,
    reasoning: a.reasoning,
    status: a.status,
    decidedBy: a.decidedBy,
    decidedByName: a.decidedByName,
    decidedAt: iso(a.decidedAt),
    decisionChannel: a.decisionChannel,
    decisionReason: a.decisionReason,
    commandId: a.commandId,
    result: a.result,
    outcome: a.outcomeKind ? { kind: a.outcomeKind, detail: a.outcomeDetail } : null,
    policy: a.policy,
    targets: storedTargets(a),
    createdAt: iso(a.createdAt)!,
    expiresAt: iso(a.expiresAt)!,
  };
}

export function toRequestedEvent(a: Approval): ApprovalRequestedEvent {
  const d = toApprovalDto(a);
  return {
    id: d.id,
    conversationId: d.conversationId,
    requestedBy: d.requestedBy,
    requestedViaTokenId: d.requestedViaTokenId,
    agentId: d.agentId,
    agentName: d.agentName,
    command: d.command,
    reasoning: d.reasoning,
    policy: d.policy,
    targets: d.targets,
    status: 'PENDING',
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
  };
}

export function toRuleDto(r: AllowRule): AllowRuleDto {
  return {
    id: r.id,
    agentId: r.agentId,
    agentName: r.agentName,
    commandName: r.commandName,
    pattern: r.pattern,
    requesterId: r.requesterId,
    requesterName: r.requesterName,
    createdBy: r.createdBy,
    createdByName: r.createdByName,
    approvalId: r.approvalId,
    createdAt: iso(r.createdAt)!,
    expiresAt: iso(r.expiresAt),
    hits: r.hits,
    lastUsedAt: iso(r.lastUsedAt),
  };
}
