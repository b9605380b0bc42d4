import type { Approval } from '../../approvals/approval.entity';
import type { AgentCommand } from '../../commands/agent-command.entity';
import { describeOutcome } from '../../commands/command.mapper';

/** What the thread is told when an approval it asked for comes to an end. */
export function settledNotice(a: Approval, cmd: AgentCommand | null): string {
  const what = `"${a.command}" on ${a.agentName}`;
  const by = a.decidedByName ? ` by ${a.decidedByName}` : '';
  const why = a.decisionReason ? ` (reason: ${a.decisionReason})` : '';
  switch (a.status) {
    case 'REJECTED':
      return `Approval #${a.id} for ${what} was rejected${by}${why}. Nothing was run.`;
    case 'EXPIRED':
      return `Approval #${a.id} for ${what} expired without a decision. Nothing was run.`;
    default: {
      const edited = a.command !== a.proposedCommand ? ` (edited from "${a.proposedCommand}")` : '';
      const outcome = cmd ? describeOutcome(cmd) : a.result ?? '';
      return `Approval #${a.id}: ${what}${edited} was approved${by}${why} and ${a.status === 'SUCCEEDED' ? 'ran' : 'did not complete'}. ${a.agentName} → ${outcome}`;
    }
  }
}
