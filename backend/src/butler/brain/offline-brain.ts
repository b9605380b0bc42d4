import type { AgentDto, CommandPolicy } from '@echocenter/contracts';
import { summarizeAgent, type ButlerTools, type CommandOutcome, type QuestionResult } from '../tools/butler-tools';
import type { Brain, BrainInput, BrainMessage, ReplySink } from './brain';
import { lastUserText, parseIntent } from './offline-intents';

const NO_MODEL = 'I am running without a language model (offline mode), so I only understand a few fixed phrases.';

const HELP = [
  NO_MODEL,
  'Try:',
  '• "list agents" — who is there and who is online',
  '• "status of <agent>" — presence, last report and commands of one agent',
  '• "recent errors" (or "recent errors of <agent>")',
  '• "ask <agent> to <command>" or "<agent>: <command>" — read-only commands run at once, others wait for an approval',
  '• "ask <agent>: <question>" — puts a question to the agent in words and shows its answer',
  '• "help" — this list',
  'An admin can connect a model with BUTLER_BASE_URL, BUTLER_API_KEY and BUTLER_MODEL.',
].join('\n');

type AgentSummary = ReturnType<typeof summarizeAgent>;

/** How a command's effective policy reads after its name. */
const POLICY_NOTE: Record<CommandPolicy, string> = { READ_ONLY: ' (read-only)', NEEDS_APPROVAL: '', DESTRUCTIVE: ' (destructive)' };

/**
 * The default install's Butler: deterministic phrase matching over the same tools (and so the same
 * approvals) as the model, answers streamed line by line.
 */
export class OfflineBrain implements Brain {
  readonly name = 'offline';

  async reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    const text = input.notice?.text ?? (await this.answer(lastUserText(input.history), tools));
    // Streamed in pieces like a model would, so clients exercise the same path.
    for (const piece of text.split(/(?<=\n)/)) sink.write(piece);
  }

  async summarize(previous: string | null, messages: BrainMessage[]): Promise<string> {
    // No model to condense with: keep the operator's requests, which carry the thread's intent.
    const asks = messages.filter((m) => m.role === 'user').map((m) => `- ${m.content.slice(0, 200)}`);
    return [previous, ...asks].filter(Boolean).join('\n').slice(-4000);
  }

  private async answer(message: string, tools: ButlerTools): Promise<string> {
    const intent = parseIntent(message);
    switch (intent.kind) {
      case 'help':
        return HELP;
      case 'list_agents':
        return formatFleet(((await tools.call('list_agents', '{}')).agents as AgentSummary[]) ?? []);
      case 'status': {
        const res = await tools.agentStatus(intent.agent);
        return res.agent ? formatAgent(res.agent as AgentSummary) : `I know no agent called "${intent.agent}". Say "list agents" to see who is there.`;
      }
      case 'recent_errors': {
        const res = await tools.recentLogs({ agentId: intent.agent, level: 'ERROR', limit: 10 });
        if (res.error) return String(res.error);
        const logs = res.logs as { at: string; agent: string | null; content: string }[];
        if (!logs.length) return `No recent errors${intent.agent ? ` from ${intent.agent}` : ''}. 🎉`;
        return [`Recent errors${intent.agent ? ` from ${intent.agent}` : ''}:`, ...logs.map((l) => `• ${l.at.slice(0, 19).replace('T', ' ')} ${l.agent ?? 'hub'}: ${l.content}`)].join('\n');
      }
      case 'ask':
        return formatAnswer(await tools.askAgent(intent.agent, intent.question));
      case 'command':
        return formatOutcome(await tools.commandAgent(intent.agent, intent.command, `asked by ${tools.operator.name} in the offline Butler`));
      default:
        return `I did not understand that. ${HELP}`;
    }
  }
}

function formatFleet(agents: AgentSummary[]): string {
  if (!agents.length) return 'No agents are registered yet.';
  const online = agents.filter((a) => a.status === 'ONLINE').length;
  return [`${agents.length} agent(s), ${online} online:`, ...agents.map((a) => `• ${a.name} (#${a.id}) — ${a.status.toLowerCase()}${a.lastReport ? ` — last report: ${a.lastReport}` : ''}`)].join('\n');
}

function formatAgent(a: AgentSummary | AgentDto): string {
  const commands = a.commands.map((c) => `${c.name}${POLICY_NOTE[c.policy ?? 'NEEDS_APPROVAL']}`).join(', ') || 'none declared';
  return [`${a.name} (#${a.id}) is ${a.status.toLowerCase()}.`, `Last report: ${a.lastReport ?? 'none yet'}`, `Commands: ${commands}`].join('\n');
}

function formatOutcome(o: CommandOutcome): string {
  switch (o.status) {
    case 'SUCCEEDED':
      return `${o.agent} answered "${o.command}":\n${o.message}`;
    case 'APPROVAL_REQUIRED':
      return `"${o.command}" on ${o.agent} needs a human approval first. ${o.message}`;
    default:
      return o.agent && o.command ? `${o.agent} — "${o.command}": ${o.message}` : o.message;
  }
}

/** The agent's words, set apart as a quote: they are the agent's, not the Butler's. */
function formatAnswer(r: QuestionResult): string {
  if (r.status !== 'ANSWERED') return r.message;
  const quoted = (r.answer ?? '').split('\n').map((line) => `> ${line}`).join('\n');
  return `${r.agent} answered:\n${quoted}`;
}
