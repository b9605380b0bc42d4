import type { AgentDto, Locale, LogLevel } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import type { AgentsService } from '../../agents/agents.service';
import type { ApprovalsService } from '../../approvals/approvals.service';
import type { ButlerIdentity } from '../butler-identity.service';
import type { AgentQuestionsService } from '../questions/agent-questions.service';
import { describeOutcome } from '../../commands/command.mapper';
import { splitCommand } from '../../commands/command-text';
import type { CommandsService } from '../../commands/commands.service';
import type { RealtimeService } from '../../gateway/realtime.service';
import type { LogsService } from '../../logs/logs.service';
import type { ButlerMeter } from '../../observability/butler-meter';
import { endSpan } from '../../observability/hub-tracer';
import type { TurnTrace } from '../turns/turn-trace';
import { inWords } from '../brain/offline-text';
import { isToolName } from './tool-definitions';
import { TOOL_TEXT, type ToolText } from './tool-text';
import type { PoliciesService } from '../../policies/policies.service';
import type { SettingsService } from '../../settings/settings.service';

export interface ToolDeps {
  settings: SettingsService;
  agents: AgentsService;
  logs: LogsService;
  commands: CommandsService;
  approvals: ApprovalsService;
  realtime: RealtimeService;
  butler: ButlerIdentity;
  policies: PoliciesService;
  questions: AgentQuestionsService;
  meter: ButlerMeter;
}

/** What every tool returns: plain data the model reads as JSON and the offline brain formats. */
export type ToolResult = Record<string, unknown>;

export interface CommandOutcome extends ToolResult {
  status:
    | 'SUCCEEDED'
    | 'FAILED'
    | 'TIMED_OUT'
    | 'CANCELLED'
    | 'EXPIRED'
    | 'QUEUED'
    | 'APPROVAL_REQUIRED'
    | 'AGENT_OFFLINE'
    | 'NOT_FOUND'
    | 'RUNNING';
  agent?: string;
  command?: string;
  message: string;
  approvalId?: number;
  commandId?: number;
  /** When the approval lapses (APPROVAL_REQUIRED) or the queued command gives up (QUEUED): for people, said as "in 15 minutes". */
  until?: Date;
}

/** What a model reads of a command outcome: the deadline as seconds from now, not a timestamp it would repeat. */
export function outcomeForModel({ until, ...rest }: CommandOutcome): ToolResult {
  return until ? { ...rest, untilInSeconds: Math.max(0, Math.round((until.getTime() - Date.now()) / 1000)) } : rest;
}

/** What ask_agent returns; `answer` is the agent's own words (data, never instructions). */
export interface QuestionResult extends ToolResult {
  status: 'ANSWERED' | 'TIMED_OUT' | 'AGENT_OFFLINE' | 'NOT_FOUND' | 'FAILED';
  agent?: string;
  question?: string;
  answer?: string;
  /** Set when the answer was longer than ASK_AGENT_ANSWER_CHARS: `answer` is its beginning only. */
  truncated?: { totalChars: number; shownChars: number };
  message: string;
}

/**
 * An agent's answer handed to the model, at most this long: several agents may answer in one turn, and
 * the whole answer stays in the agent's chat and in the monitor for anyone who needs it.
 */
export const ASK_AGENT_ANSWER_CHARS = 4_000;

const LEVELS: LogLevel[] = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'];

/** The Butler's tools for one turn: bound to the operator and thread they act for. */
export class ButlerTools {
  constructor(
    private readonly deps: ToolDeps,
    readonly operator: AuthActor,
    /** Null for a caller without a thread (an MCP client's command_agent): results are read from the approval. */
    readonly conversationId: number | null,
    /** Live progress of commands this turn waits on (shown in the thread while it runs). */
    private readonly onProgress?: (agent: string, text: string) => void,
    /** The turn's span: each tool call is a child of it. */
    private readonly trace?: TurnTrace,
    /** The operator's language: the results' messages are said in it. */
    readonly locale: Locale = 'en',
  ) {
    this.say = TOOL_TEXT[locale];
  }

  private readonly say: ToolText;

  async call(name: string, rawArgs: string): Promise<ToolResult> {
    const span = this.trace?.child('butler.tool_call', { 'gen_ai.tool.name': name.slice(0, 64) });
    try {
      const result = await this.run(name, rawArgs);
      const ok = !('error' in result);
      this.deps.meter.toolCall(name, ok);
      if (span) {
        const { status, approvalId, commandId } = result as Partial<CommandOutcome>;
        if (typeof status === 'string') span.setAttribute('echocenter.command.status', status);
        if (typeof commandId === 'number') span.setAttribute('echocenter.command.id', commandId);
        if (typeof approvalId === 'number') this.trace!.linkApproval(span, approvalId);
        endSpan(span, ok ? undefined : String(result.error));
      }
      return result;
    } catch (err) {
      this.deps.meter.toolCall(name, false);
      endSpan(span, err);
      throw err;
    }
  }

  private async run(name: string, rawArgs: string): Promise<ToolResult> {
    let args: Record<string, unknown>;
    try {
      args = rawArgs.trim() ? (JSON.parse(rawArgs) as Record<string, unknown>) : {};
    } catch {
      return { error: `arguments of ${name} are not valid JSON` };
    }
    if (!isToolName(name)) return { error: `unknown tool ${name}` };
    // No default: a name added to TOOL_NAMES without a case here does not compile.
    switch (name) {
      case 'list_agents':
        return { agents: (await this.deps.agents.list()).map(summarizeAgent) };
      case 'get_agent_status':
        return this.agentStatus(args.agentId as string | number);
      case 'recent_logs':
        return this.recentLogs(args as { agentId?: string | number; level?: string; limit?: number });
      case 'command_agent':
        return outcomeForModel(
          await this.commandAgent(
            args.agentId as string | number,
            String(args.command ?? ''),
            String(args.reasoning ?? ''),
          ),
        );
      case 'ask_agent':
        return this.askAgent(args.agentId as string | number, String(args.question ?? ''));
    }
  }

  async findAgent(ref: string | number | undefined): Promise<AgentDto | null> {
    if (ref === undefined || ref === null || ref === '') return null;
    const agents = await this.deps.agents.list();
    const asId = typeof ref === 'number' ? ref : /^#?\d+$/.test(ref.trim()) ? Number(ref.trim().replace('#', '')) : NaN;
    if (!Number.isNaN(asId)) return agents.find((a) => a.id === asId) ?? null;
    const key = normalize(String(ref));
    return (
      agents.find((a) => normalize(a.name) === key) ?? agents.find((a) => normalize(a.name).startsWith(key)) ?? null
    );
  }

  async agentStatus(ref: string | number): Promise<ToolResult> {
    const agent = await this.findAgent(ref);
    if (!agent) return { error: this.say.noAgent(String(ref)) };
    return { agent: summarizeAgent(agent) };
  }

  async recentLogs(q: { agentId?: string | number; level?: string; limit?: number }): Promise<ToolResult> {
    let agentId: number | undefined;
    if (q.agentId !== undefined && q.agentId !== '') {
      const agent = await this.findAgent(q.agentId);
      if (!agent) return { error: this.say.noAgent(String(q.agentId)) };
      agentId = agent.id;
    }
    const levels = (q.level ?? '')
      .toUpperCase()
      .split(',')
      .map((l) => l.trim())
      .filter((l): l is LogLevel => LEVELS.includes(l as LogLevel));
    const limit = Math.min(Math.max(Number(q.limit) || 10, 1), 50);
    const page = await this.deps.logs.query({ agentId, level: levels.length ? levels.join(',') : undefined, limit });
    return {
      logs: page.items.map((l) => ({
        at: l.createdAt,
        agent: l.agentName,
        level: l.level,
        content: l.content.slice(0, 500),
      })),
    };
  }

  /**
   * Runs at once only what the hub rules read-only (an admin confirmed the card's claim); anything else
   * goes through an approval that carries its policy. A command to an offline agent is QUEUED: the turn
   * ends saying so, and the thread is told how it ended once the agent connects (or it expires).
   */
  async commandAgent(ref: string | number, command: string, reasoning: string): Promise<CommandOutcome> {
    const agent = await this.findAgent(ref);
    if (!agent) return { status: 'NOT_FOUND', message: this.say.noAgent(String(ref)) };
    const text = command.trim();
    if (!text) return { status: 'NOT_FOUND', agent: agent.name, message: this.say.noCommand };
    if (agent.status === 'DISABLED') {
      return { status: 'AGENT_OFFLINE', agent: agent.name, command: text, message: this.say.disabled(agent.name) };
    }
    // Malformed arguments (a probe's unit name) are refused here: neither run nor put to an approver.
    const problem = this.deps.approvals.problem(agent.name, text);
    if (problem) return { status: 'FAILED', agent: agent.name, command: text, message: problem };
    const { name } = splitCommand(text);
    // Read fresh, not from the card: the card's readOnly is only the agent's claim.
    const policy = await this.deps.policies.effective(
      agent.id,
      name,
      agent.commands.find((c) => c.name === name),
    );
    const readOnly = policy === 'READ_ONLY' && this.deps.settings.approvals().policy !== 'always';
    const spec = {
      agentId: agent.id,
      agentName: agent.name,
      text,
      requestedBy: this.operator.id,
      viaTokenId: this.operator.accessToken?.id ?? null,
      conversationId: this.conversationId,
    };

    if (readOnly) {
      const cmd = await this.deps.commands.run({ ...spec, approvalId: null }, await this.deps.butler.ref());
      if (cmd.status === 'QUEUED') return this.queuedOutcome(cmd, agent.name, text);
      const done = await this.deps.commands.waitFor(cmd, (text) => this.onProgress?.(agent.name, text));
      return {
        status: done.status as CommandOutcome['status'],
        agent: agent.name,
        command: text,
        commandId: done.id,
        message: describeOutcome(done, this.locale),
      };
    }
    const outcome = await this.deps.approvals.request({
      ...spec,
      requester: this.operator,
      command: text,
      reasoning: reasoning || 'no reason given',
      policy: policy === 'DESTRUCTIVE' ? 'DESTRUCTIVE' : 'NEEDS_APPROVAL',
    });
    if (outcome.command?.status === 'QUEUED')
      return { ...this.queuedOutcome(outcome.command, agent.name, text), approvalId: outcome.approval.id };
    if (outcome.command) {
      const done = await this.deps.commands.waitFor(outcome.command, (text) => this.onProgress?.(agent.name, text));
      return {
        status: done.status as CommandOutcome['status'],
        agent: agent.name,
        command: text,
        commandId: done.id,
        approvalId: outcome.approval.id,
        message: describeOutcome(done, this.locale),
      };
    }
    const a = outcome.approval;
    return {
      status: 'APPROVAL_REQUIRED',
      agent: agent.name,
      command: text,
      approvalId: a.id,
      until: a.expiresAt,
      message: this.say.requested(a.id, text, agent.name, inWords(a.expiresAt, this.locale)),
    };
  }

  /**
   * Puts a question to an agent in words (a chat message from the Butler) and waits for its reply, up to
   * the question deadline. Any operator may ask any enabled agent, as anyone may chat with one; nothing
   * runs through this that an agent's own chat would not run (side-effecting commands still need approval).
   */
  async askAgent(ref: string | number, question: string): Promise<QuestionResult> {
    const agent = await this.findAgent(ref);
    if (!agent) return { status: 'NOT_FOUND', message: this.say.noAgent(String(ref)) };
    const text = question.trim();
    if (!text) return { status: 'NOT_FOUND', agent: agent.name, message: this.say.noQuestion };
    if (agent.status === 'DISABLED')
      return {
        status: 'AGENT_OFFLINE',
        agent: agent.name,
        question: text,
        message: this.say.disabledNotAsked(agent.name),
      };
    const base = { agent: agent.name, question: text };
    try {
      const outcome = await this.deps.questions.ask({
        agentId: agent.id,
        agentName: agent.name,
        askedBy: this.operator.id,
        conversationId: this.conversationId,
        question: text,
      });
      switch (outcome.status) {
        case 'ANSWERED':
          return { status: 'ANSWERED', ...base, ...capAnswer(outcome.answer), message: this.say.answered(agent.name) };
        case 'TIMED_OUT':
          return { status: 'TIMED_OUT', ...base, message: this.say.questionTimedOut(agent.name, outcome.questionId) };
        case 'AGENT_OFFLINE':
          return { status: 'AGENT_OFFLINE', ...base, message: this.say.questionOffline(agent.name) };
      }
    } catch (err) {
      return { status: 'FAILED', ...base, message: this.say.questionFailed((err as Error).message) };
    }
  }

  private queuedOutcome(cmd: { id: number; deadline: Date }, agent: string, text: string): CommandOutcome {
    return {
      status: 'QUEUED',
      agent,
      command: text,
      commandId: cmd.id,
      until: cmd.deadline,
      message: this.say.queued(agent, text, inWords(cmd.deadline, this.locale)),
    };
  }
}

/** The answer for the model, cut to ASK_AGENT_ANSWER_CHARS; a cut answer says so, in its text and in `truncated`. */
function capAnswer(answer: string): Pick<QuestionResult, 'answer' | 'truncated'> {
  if (answer.length <= ASK_AGENT_ANSWER_CHARS) return { answer };
  const shown = answer.slice(0, ASK_AGENT_ANSWER_CHARS);
  return {
    answer: `${shown}\n… (truncated: ${answer.length - shown.length} more characters not shown)`,
    truncated: { totalChars: answer.length, shownChars: shown.length },
  };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

export function summarizeAgent(a: AgentDto) {
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    description: a.description,
    lastReport: a.lastReport,
    lastReportAt: a.lastReportAt,
    // The hub's ruling, not the agent's claim.
    commands: a.commands.map((c) => ({
      name: c.name,
      args: c.args,
      description: c.description,
      policy: c.policy ?? 'NEEDS_APPROVAL',
    })),
  };
}
