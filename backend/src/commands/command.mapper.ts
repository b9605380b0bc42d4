import type { AgentCommandDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { AgentCommand } from './agent-command.entity';

export function toCommandDto(c: AgentCommand): AgentCommandDto {
  return {
    id: c.id,
    agentId: c.agentId,
    command: c.command,
    args: c.args,
    status: c.status,
    result: c.result,
    error: c.error,
    deadline: iso(c.deadline)!,
    createdAt: iso(c.createdAt)!,
    finishedAt: iso(c.finishedAt),
  };
}

/** One line for people and the model: what came back, or why nothing did. */
export function describeOutcome(c: AgentCommand): string {
  switch (c.status) {
    case 'SUCCEEDED':
      return c.result ?? '(no output)';
    case 'FAILED':
      return `failed: ${c.error ?? 'unknown error'}`;
    case 'TIMED_OUT':
      return 'no answer before the deadline (timed out)';
    case 'CANCELLED':
      return `cancelled${c.error ? `: ${c.error}` : ''}`;
    case 'EXPIRED':
      return `never ran: ${c.agentName} did not come online in time (expired)`;
    case 'QUEUED':
      return `waiting for ${c.agentName} to come online`;
    default:
      return 'still running';
  }
}
