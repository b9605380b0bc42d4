import type { Locale } from '@echocenter/contracts';
import type { Approval } from '../../approvals/approval.entity';
import type { AgentCommand } from '../../commands/agent-command.entity';
import { describeOutcome } from '../../commands/command.mapper';
import type { BrainNotice } from '../brain/brain';
import { NOTICE_TEXT } from './notice-text';

/**
 * What the thread is told when an approval it asked for comes to an end, in the thread's language: a sentence
 * for people, and the same facts as data for the model, the agent's output (`result`) in a field of its own.
 */
export function settledNotice(a: Approval, cmd: AgentCommand | null, locale: Locale = 'en'): BrainNotice {
  const say = NOTICE_TEXT[locale];
  const facts = { approvalId: a.id, status: a.status, agent: a.agentName, command: a.command };
  switch (a.status) {
    case 'REJECTED': {
      const summary = say.rejected(a.id, a.command, a.agentName, a.decidedByName, a.decisionReason);
      return { text: summary, data: { ...facts, summary } };
    }
    case 'EXPIRED': {
      const summary = say.expired(a.id, a.command, a.agentName);
      return { text: summary, data: { ...facts, summary } };
    }
    default: {
      const editedFrom = a.command !== a.proposedCommand ? a.proposedCommand : null;
      const result = cmd ? describeOutcome(cmd, locale) : (a.result ?? '');
      const summary = say.approved(
        a.id,
        a.command,
        a.agentName,
        editedFrom,
        a.decidedByName,
        a.decisionReason,
        a.status === 'SUCCEEDED',
      );
      // The thread's approval card already shows the output: said once there, not again in the Butler's words.
      return { text: `${summary}${say.outputInCard(a.agentName)}`, data: { ...facts, summary, result } };
    }
  }
}
