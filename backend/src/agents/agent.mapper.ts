import type { AgentDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { Actor } from '../actors/actor.entity';
import type { AgentCredential } from './agent-credential.entity';

export function toAgentDto(a: Actor, cred: AgentCredential | null): AgentDto {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    version: a.version,
    commands: a.commands ?? [],
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
