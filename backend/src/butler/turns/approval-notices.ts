import type { Approval } from '../../approvals/approval.entity';
import type { AgentCommand } from '../../commands/agent-command.entity';
import { describeOutcome } from '../../commands/command.mapper';
import type { BrainNotice } from '../brain/brain';

/**
 * What the thread is told when an approval it asked for comes to an end: a sentence for people, and the
 * same facts as data for the model, the agent's output (`result`) in a field of its own.
 */
export function settledNotice(a: Approval, cmd: AgentCommand | null): BrainNotice {
  const what = `"${a.command}" on ${a.agentName}`;
  const by = a.decidedByName ? ` by ${a.decidedByName}` : '';
  const why = a.decisionReason ? ` (reason: ${a.decisionReason})` : '';
  const facts = { approvalId: a.id, status: a.status, agent: a.agentName, command: a.command };
  switch (a.status) {
    case 'REJECTED': {
      const summary = `Approval #${a.id} for ${what} was rejected${by}${why}. Nothing was run.`;
      return { text: summary, data: { ...facts, summary } };
    }
    case 'EXPIRED': {
      const summary = `Approval #${a.id} for ${what} expired without a decision. Nothing was run.`;
      return { text: summary, data: { ...facts, summary } };
    }
    default: {
      const edited = a.command !== a.proposedCommand ? ` (edited from "${a.proposedCommand}")` : '';
      const result = cmd ? describeOutcome(cmd) : a.result ?? '';
      const summary = `Approval #${a.id}: ${what}${edited} was approved${by}${why} and ${a.status === 'SUCCEEDED' ? 'ran' : 'did not complete'}.`;
      // The thread's approval card already shows the output: said once there, not again in the Butler's words.
      return { text: `${summary} ${a.agentName}'s output is in the approval card above.`, data: { ...facts, summary, result } };
    }
  }
}
