import type { AgentDto, LogLevel } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import type { AgentsService } from '../../agents/agents.service';
import type { ApprovalsService } from '../../approvals/approvals.service';
import type { ButlerIdentity } from '../butler-identity.service';
import { describeOutcome } from '../../commands/command.mapper';
import { splitCommand } from '../../commands/command-text';
import type { CommandsService } from '../../commands/commands.service';
import type { RealtimeService } from '../../gateway/realtime.service';
import type { LogsService } from '../../logs/logs.service';
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
}

/** What every tool returns: plain data the model reads as JSON and the offline brain formats. */
export type ToolResult = Record<string, unknown>;

export interface CommandOutcome extends ToolResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED' | 'EXPIRED' | 'QUEUED' | 'APPROVAL_REQUIRED' | 'AGENT_OFFLINE' | 'NOT_FOUND' | 'RUNNING';
  agent?: string;
  command?: string;
  message: string;
  approvalId?: number;
  commandId?: number;
  /** When the approval lapses (APPROVAL_REQUIRED) or the queued command gives up (QUEUED): for people, said as "in 15 minutes". */
  until?: Date;
}

const LEVELS: LogLevel[] = ['INFO', 'SUCCESS', 'WARNING', 'ERROR'];

/** The Butler's tools for one turn: bound to the operator and thread they act for. */
export class ButlerTools {
  constructor(
    private readonly deps: ToolDeps,
    readonly operator: AuthActor,
    readonly conversationId: number,
    /** Live progress of commands this turn waits on (shown in the thread while it runs). */
    private readonly onProgress?: (agent: string, text: string) => void,
  ) {}

  async call(name: string, rawArgs: string): Promise<ToolResult> {
    let args: Record<string, unknown>;
    try {
      args = rawArgs.trim() ? (JSON.parse(rawArgs) as Record<string, unknown>) : {};
    } catch {
      return { error: `arguments of ${name} are not valid JSON` };
    }
    switch (name) {
      case 'list_agents':
        return { agents: (await this.deps.agents.list()).map(summarizeAgent) };
      case 'get_agent_status':
        return this.agentStatus(args.agentId as string | number);
      case 'recent_logs':
        return this.recentLogs(args as { agentId?: string | number; level?: string; limit?: number });
      case 'command_agent':
        return this.commandAgent(args.agentId as string | number, String(args.command ?? ''), String(args.reasoning ?? ''));
      default:
        return { error: `unknown tool ${name}` };
    }
  }

  async findAgent(ref: string | number | undefined): Promise<AgentDto | null> {
    if (ref === undefined || ref === null || ref === '') return null;
    const agents = await this.deps.agents.list();
    const asId = typeof ref === 'number' ? ref : /^#?\d+$/.test(ref.trim()) ? Number(ref.trim().replace('#', '')) : NaN;
    if (!Number.isNaN(asId)) return agents.find((a) => a.id === asId) ?? null;
    const key = normalize(String(ref));
    return agents.find((a) => normalize(a.name) === key) ?? agents.find((a) => normalize(a.name).startsWith(key)) ?? null;
  }

  async agentStatus(ref: string | number): Promise<ToolResult> {
    const agent = await this.findAgent(ref);
    if (!agent) return { error: `no agent named ${String(ref)}` };
    return { agent: summarizeAgent(agent) };
  }

  async recentLogs(q: { agentId?: string | number; level?: string; limit?: number }): Promise<ToolResult> {
    let agentId: number | undefined;
    if (q.agentId !== undefined && q.agentId !== '') {
      const agent = await this.findAgent(q.agentId);
      if (!agent) return { error: `no agent named ${String(q.agentId)}` };
      agentId = agent.id;
    }
    const levels = (q.level ?? '').toUpperCase().split(',').map((l) => l.trim()).filter((l): l is LogLevel => LEVELS.includes(l as LogLevel));
    const limit = Math.min(Math.max(Number(q.limit) || 10, 1), 50);
    const page = await this.deps.logs.query({ agentId, level: levels.length ? levels.join(',') : undefined, limit });
    return { logs: page.items.map((l) => ({ at: l.createdAt, agent: l.agentName, level: l.level, content: l.content.slice(0, 500) })) };
  }

  /**
   * Runs at once only what the hub rules read-only (an admin confirmed the card's claim); anything else
   * goes through an approval that carries its policy. A command to an offline agent is QUEUED: the turn
   * ends saying so, and the thread is told how it ended once the agent connects (or it expires).
   */
  async commandAgent(ref: string | number, command: string, reasoning: string): Promise<CommandOutcome> {
    const agent = await this.findAgent(ref);
    if (!agent) return { status: 'NOT_FOUND', message: `There is no agent named ${String(ref)}.` };
    const text = command.trim();
    if (!text) return { status: 'NOT_FOUND', agent: agent.name, message: 'No command was given.' };
    if (agent.status === 'DISABLED') {
      return { status: 'AGENT_OFFLINE', agent: agent.name, command: text, message: `${agent.name} is disabled, so nothing was sent.` };
    }
    const { name } = splitCommand(text);
    // Read fresh, not from the card: the card's readOnly is only the agent's claim.
    const policy = await this.deps.policies.effective(agent.id, name, agent.commands.find((c) => c.name === name));
    const readOnly = policy === 'READ_ONLY' && this.deps.settings.approvals().policy !== 'always';
    const spec = { agentId: agent.id, agentName: agent.name, text, requestedBy: this.operator.id, conversationId: this.conversationId };

    if (readOnly) {
      const cmd = await this.deps.commands.run({ ...spec, approvalId: null }, await this.deps.butler.ref());
      if (cmd.status === 'QUEUED') return queuedOutcome(cmd, agent.name, text);
      const done = await this.deps.commands.waitFor(cmd, (text) => this.onProgress?.(agent.name, text));
      return { status: done.status as CommandOutcome['status'], agent: agent.name, command: text, commandId: done.id, message: describeOutcome(done) };
    }
    const outcome = await this.deps.approvals.request({ ...spec, requester: this.operator, command: text, reasoning: reasoning || 'no reason given', policy: policy === 'DESTRUCTIVE' ? 'DESTRUCTIVE' : 'NEEDS_APPROVAL' });
    if (outcome.command?.status === 'QUEUED') return { ...queuedOutcome(outcome.command, agent.name, text), approvalId: outcome.approval.id };
    if (outcome.command) {
      const done = await this.deps.commands.waitFor(outcome.command, (text) => this.onProgress?.(agent.name, text));
      return { status: done.status as CommandOutcome['status'], agent: agent.name, command: text, commandId: done.id, approvalId: outcome.approval.id, message: describeOutcome(done) };
    }
    const a = outcome.approval;
    return {
      status: 'APPROVAL_REQUIRED',
      agent: agent.name,
      command: text,
      approvalId: a.id,
      until: a.expiresAt,
      message: `Approval #${a.id} was requested: "${text}" on ${agent.name} runs once an admin approves it (it expires at ${a.expiresAt.toISOString()}). The result will come back to this thread.`,
    };
  }
}

function queuedOutcome(cmd: { id: number; deadline: Date }, agent: string, text: string): CommandOutcome {
  return {
    status: 'QUEUED',
    agent,
    command: text,
    commandId: cmd.id,
    until: cmd.deadline,
    message: `${agent} is offline: "${text}" is queued, waiting for ${agent} to come online (until ${cmd.deadline.toISOString()}). The result will come back to this thread.`,
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
    commands: a.commands.map((c) => ({ name: c.name, args: c.args, description: c.description, policy: c.policy ?? 'NEEDS_APPROVAL' })),
  };
}
