import type { AgentDto, Locale } from '@echocenter/contracts';
import { summarizeAgent, type ButlerTools, type CommandOutcome, type QuestionResult } from '../tools/butler-tools';
import type { Brain, BrainInput, BrainMessage, ReplySink } from './brain';
import { lastUserText, parseIntent } from './offline-intents';
import { OFFLINE_TEXT, inWords, type OfflineText } from './offline-text';

type AgentSummary = ReturnType<typeof summarizeAgent>;

/**
 * The default install's Butler: deterministic phrase matching over the same tools (and so the same
 * approvals) as the model, answers streamed line by line.
 */
export class OfflineBrain implements Brain {
  readonly name = 'offline';

  async reply(input: BrainInput, tools: ButlerTools, sink: ReplySink): Promise<void> {
    const text = input.notice?.text ?? (await this.answer(lastUserText(input.history), tools, input.locale));
    // Streamed in pieces like a model would, so clients exercise the same path.
    for (const piece of text.split(/(?<=\n)/)) sink.write(piece);
  }

  async summarize(previous: string | null, messages: BrainMessage[]): Promise<string> {
    // No model to condense with: keep the operator's requests, which carry the thread's intent.
    const asks = messages.filter((m) => m.role === 'user').map((m) => `- ${m.content.slice(0, 200)}`);
    return [previous, ...asks].filter(Boolean).join('\n').slice(-4000);
  }

  private async answer(message: string, tools: ButlerTools, locale: Locale): Promise<string> {
    const say = OFFLINE_TEXT[locale];
    const intent = parseIntent(message);
    switch (intent.kind) {
      case 'help':
        return say.help;
      case 'list_agents':
        return formatFleet(((await tools.call('list_agents', '{}')).agents as AgentSummary[]) ?? [], say);
      case 'status': {
        const res = await tools.agentStatus(intent.agent);
        return res.agent ? formatAgent(res.agent as AgentSummary, say) : say.unknownAgent(intent.agent);
      }
      case 'recent_errors': {
        const res = await tools.recentLogs({ agentId: intent.agent, level: 'ERROR', limit: 10 });
        if (res.error) return String(res.error);
        const logs = res.logs as { at: string; agent: string | null; content: string }[];
        if (!logs.length) return say.noErrors(intent.agent);
        // When, in words ("3 minutes ago"): a timestamp in a sentence would be UTC, not the reader's time.
        return [
          say.errorsHeader(intent.agent),
          ...logs.map((l) => `• ${inWords(new Date(l.at), locale)} ${l.agent ?? say.hub}: ${l.content}`),
        ].join('\n');
      }
      case 'ask':
        return formatAnswer(await tools.askAgent(intent.agent, intent.question), say);
      case 'command':
        return formatOutcome(
          await tools.commandAgent(intent.agent, intent.command, say.reasoning(tools.operator.name)),
          say,
          locale,
        );
      default:
        return say.notUnderstood;
    }
  }
}

function formatFleet(agents: AgentSummary[], say: OfflineText): string {
  if (!agents.length) return say.noAgents;
  const online = agents.filter((a) => a.status === 'ONLINE').length;
  return [
    say.fleet(agents.length, online),
    ...agents.map((a) => say.agentLine(a.name, a.id, say.status[a.status] ?? a.status, a.lastReport)),
  ].join('\n');
}

function formatAgent(a: AgentSummary | AgentDto, say: OfflineText): string {
  const commands =
    a.commands.map((c) => `${c.name}${say.policy[c.policy ?? 'NEEDS_APPROVAL']}`).join(', ') || say.noCommands;
  return [
    say.agentStatus(a.name, a.id, say.status[a.status] ?? a.status),
    say.lastReport(a.lastReport),
    say.commands(commands),
  ].join('\n');
}

function formatOutcome(o: CommandOutcome, say: OfflineText, locale: Locale): string {
  switch (o.status) {
    case 'SUCCEEDED':
      return say.answered(o.agent ?? '', o.command ?? '', o.message);
    case 'APPROVAL_REQUIRED':
      if (o.approvalId !== undefined && o.until)
        return say.requested(o.approvalId, o.agent ?? '', o.command ?? '', inWords(o.until, locale));
      return say.needsApproval(o.agent ?? '', o.command ?? '', o.message);
    case 'QUEUED':
      return o.until ? say.queued(o.agent ?? '', o.command ?? '', inWords(o.until, locale)) : o.message;
    default:
      return o.agent && o.command ? `${o.agent} — "${o.command}": ${o.message}` : o.message;
  }
}

/** The agent's words, set apart as a quote: they are the agent's, not the Butler's. */
function formatAnswer(r: QuestionResult, say: OfflineText): string {
  if (r.status !== 'ANSWERED') return r.message;
  const quoted = (r.answer ?? '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `${say.agentAnswered(r.agent ?? '')}\n${quoted}`;
}
