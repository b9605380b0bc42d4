import type { AgentCommandCard, CommandPolicyDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { CommandPolicy } from './command-policy.entity';
import { effectivePolicy } from './effective-policy';

export function toCommandPolicyDto(
  agentId: number,
  card: AgentCommandCard,
  row: CommandPolicy | undefined,
): CommandPolicyDto {
  return {
    agentId,
    command: card.name,
    args: card.args ?? null,
    description: card.description ?? null,
    claimsReadOnly: card.readOnly === true,
    readOnlyConfirmed: row?.readOnly === true,
    destructive: row?.destructive === true,
    policy: effectivePolicy(card, row),
    needsReview: row?.needsReview === true,
    reviewReason: row?.reviewReason ?? null,
    decidedByName: row?.decidedByName ?? null,
    decidedAt: iso(row?.decidedAt),
  };
}
