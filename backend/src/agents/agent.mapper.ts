import type { AgentCommandCard, AgentDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import { withPolicies } from '../policies/effective-policy';
import type { Actor } from '../actors/actor.entity';
import type { AgentCredential } from './agent-credential.entity';

/** `commands`: the card as the hub rules it (PoliciesService.cards); absent, every command needs approval. */
export function toAgentDto(a: Actor, cred: AgentCredential | null, commands?: AgentCommandCard[]): AgentDto {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    version: a.version,
    commands: commands ?? withPolicies(a.commands, new Map()),
    online: a.online,
    status: a.disabled ? 'DISABLED' : a.online ? 'ONLINE' : 'OFFLINE',
    lastSeenAt: iso(a.lastSeenAt),
    lastReport: a.lastReport,
    lastReportAt: iso(a.lastReportAt),
    tokenHint: cred?.tokenHint ?? null,
    tokenRotatedAt: iso(cred?.rotatedAt),
    createdAt: iso(a.createdAt)!,
  };
}
