import type { AgentCommandDto, CommandOutcome, Locale } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { AgentCommand } from './agent-command.entity';
import { OUTCOME_TEXT } from './outcome-text';

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

/** One line for people and the model: what came back, or why nothing did (the words around it in `locale`). */
export function describeOutcome(c: AgentCommand, locale: Locale = 'en'): string {
  const say = OUTCOME_TEXT[locale];
  switch (c.status) {
    case 'SUCCEEDED':
      return c.result ?? say.noOutput;
    case 'FAILED':
      return say.failed(c.error);
    case 'TIMED_OUT':
      return say.timedOut;
    case 'CANCELLED':
      return say.cancelled(c.error);
    case 'EXPIRED':
      return say.expired(c.agentName);
    case 'QUEUED':
      return say.waiting(c.agentName);
    default:
      return say.running;
  }
}

/** How it ended, as data: the words are the reader's to choose; the agent's error or the cancel reason is kept as written. Null while it has not ended. */
export function commandOutcome(c: AgentCommand): CommandOutcome | null {
  switch (c.status) {
    case 'SUCCEEDED':
      return { kind: c.result ? 'output' : 'no_output', detail: null };
    case 'FAILED':
      return { kind: 'failed', detail: c.error };
    case 'TIMED_OUT':
      return { kind: 'timed_out', detail: null };
    case 'CANCELLED':
      return { kind: 'cancelled', detail: c.error };
    case 'EXPIRED':
      return { kind: 'expired', detail: null };
    default:
      return null;
  }
}
