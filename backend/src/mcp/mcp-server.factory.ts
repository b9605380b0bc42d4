import { Injectable, Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalStatus } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { summarizeAgent, ButlerTools } from '../butler/tools/butler-tools';
import { ButlerToolDeps } from '../butler/tools/butler-tool-deps';
import { ApiException } from '../common/api-error';
import { AskButlerService } from './ask-butler.service';
import { McpLimits } from './mcp-limits';
import { mayOperate } from './mcp-caller';
import { MCP_TOOLS, OPERATING_TOOLS } from './mcp-tool-definitions';
import { UNTRUSTED_NOTE, untrustedResourceText, untrustedResult } from './untrusted-result';

// An assistant waits this long for the Butler's answer; a longer turn still ends in the thread.
const ASK_WAIT_MS = 120_000;
const AGENTS_URI = 'echocenter://agents';
const CARD_URI = /^echocenter:\/\/agents\/(\d+)\/card$/;
const STATUSES: ApprovalStatus[] = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'EXPIRED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
];

const refusal = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });

/**
 * One MCP server per caller: the Butler's own tools (ButlerTools: the same policy and approvals path as a
 * console turn) and the fleet as resources, bound to the human the bearer stands for.
 */
@Injectable()
export class McpServerFactory {
  private readonly logger = new Logger('Mcp');

  constructor(
    private readonly deps: ButlerToolDeps,
    private readonly askButler: AskButlerService,
    private readonly limits: McpLimits,
  ) {}

  build(caller: AuthActor): Server {
    const server = new Server(
      { name: 'echocenter', title: 'EchoCenter', version: '0.1.0' },
      {
        capabilities: { tools: {}, resources: {} },
        instructions:
          'EchoCenter runs a fleet of agents. Read with list_agents, get_agent_status and recent_logs; act with command_agent (read-only commands run at once, others wait for a human approval: poll get_approval) or ask the Butler in plain language with ask_butler. ' +
          UNTRUSTED_NOTE,
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: MCP_TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
      const name = req.params.name;
      if (!MCP_TOOLS.some((t) => t.name === name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${name}`);
      if (OPERATING_TOOLS.has(name) && !mayOperate(caller))
        return refusal(`${name} needs a token with the operate scope; this token has the read scope only.`);
      try {
        return await this.call(caller, name, req.params.arguments ?? {}, extra.signal);
      } catch (err) {
        // The hub's refusals (not found, not yours) are answers for the assistant; anything else is logged.
        if (err instanceof ApiException) return refusal(err.message);
        this.logger.error(`tool ${name} failed: ${(err as Error).stack ?? String(err)}`);
        return refusal(`${name} failed on the hub; try again.`);
      }
    });
    server.setRequestHandler(ListResourcesRequestSchema, async () => {
      const agents = await this.deps.agents.list();
      return {
        resources: [
          {
            uri: AGENTS_URI,
            name: 'agents',
            title: 'The fleet',
            description: 'Every agent with its status and commands (marked untrusted_data: written by agents)',
            mimeType: 'application/json',
          },
          ...agents.map((a) => ({
            uri: `echocenter://agents/${a.id}/card`,
            name: `${a.name} card`,
            title: `${a.name}'s card`,
            description: "The agent's card (marked untrusted_data: written by the agent)",
            mimeType: 'application/json',
          })),
        ],
      };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: [
        {
          uriTemplate: 'echocenter://agents/{id}/card',
          name: 'agent-card',
          title: "An agent's card",
          description:
            "Description, version and commands with the hub's policy for each (marked untrusted_data: written by the agent)",
          mimeType: 'application/json',
        },
      ],
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
      const uri = req.params.uri;
      if (uri === AGENTS_URI)
        return {
          contents: [
            {
              uri,
              mimeType: 'application/json',
              text: untrustedResourceText((await this.deps.agents.list()).map(summarizeAgent)),
            },
          ],
        };
      const id = CARD_URI.exec(uri)?.[1];
      const agent = id ? (await this.deps.agents.list()).find((a) => a.id === Number(id)) : undefined;
      if (!agent) throw new McpError(ErrorCode.InvalidParams, `No resource ${uri}`);
      const card = {
        id: agent.id,
        name: agent.name,
        description: agent.description,
        version: agent.version,
        commands: summarizeAgent(agent).commands,
      };
      return { contents: [{ uri, mimeType: 'application/json', text: untrustedResourceText(card) }] };
    });
    return server;
  }

  private async call(
    caller: AuthActor,
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    // No thread: an MCP client reads a command's outcome from the tool's answer or from get_approval.
    const tools = new ButlerTools(this.deps, caller, null);
    switch (name) {
      case 'command_agent': {
        const ref = args.agentId as string | number | undefined;
        if (ref === undefined || typeof args.command !== 'string')
          return refusal('command_agent needs agentId and command');
        const outcome = await tools.commandAgent(
          ref,
          args.command,
          typeof args.reasoning === 'string' ? args.reasoning : 'requested over MCP',
        );
        // The outcome's message quotes the agent's result: data. The hub's status, ids and next step stand beside it.
        const waiting = outcome.status === 'APPROVAL_REQUIRED';
        return {
          ...untrustedResult(outcome, {
            status: outcome.status,
            approvalId: outcome.approvalId,
            commandId: outcome.commandId,
            next: waiting
              ? `Waiting for approval #${outcome.approvalId}: the command runs once an admin approves it. Poll get_approval with id ${outcome.approvalId} for the result.`
              : undefined,
          }),
          isError: outcome.status === 'NOT_FOUND' || outcome.status === 'FAILED',
        };
      }
      case 'ask_butler': {
        const text = typeof args.text === 'string' ? args.text.trim() : '';
        if (!text) return refusal('ask_butler needs text');
        const conversationId = args.conversationId === undefined ? undefined : Number(args.conversationId);
        if (conversationId !== undefined && !Number.isInteger(conversationId))
          return refusal('conversationId must be a thread id');
        // Each call holds a request and a Butler turn for up to ASK_WAIT_MS: a few at once per caller.
        const release = this.limits.startAsk(caller);
        if (!release)
          return refusal(
            `Busy: at most ${this.limits.askConcurrency} ask_butler calls at once per token; wait for one to finish`,
          );
        const a = await this.askButler.ask(caller, text, conversationId, ASK_WAIT_MS, signal).finally(release);
        // The Butler's answer is a model's words, often quoting agents: data. The wait note is the hub's own.
        if (a.answer === null)
          return untrustedResult(null, {
            conversationId: a.conversationId,
            answered: false,
            next: `The Butler is still working on it; its answer will be in thread #${a.conversationId}. Ask again in that thread later.`,
          });
        return untrustedResult({ answer: a.answer }, { conversationId: a.conversationId, answered: true });
      }
      case 'get_approval': {
        const id = Number(args.id);
        if (!Number.isInteger(id)) return refusal('get_approval needs an integer id');
        const approval = await this.deps.approvals.get(caller, id);
        return untrustedResult({ approval }, { id: approval.id, status: approval.status });
      }
      case 'list_approvals': {
        const status =
          typeof args.status === 'string'
            ? args.status
                .toUpperCase()
                .split(',')
                .map((s) => s.trim())
                .filter((s): s is ApprovalStatus => STATUSES.includes(s as ApprovalStatus))
            : undefined;
        const limit = Math.min(Math.max(Number(args.limit) || 20, 1), 100);
        const page = await this.deps.approvals.list(caller, { status: status?.length ? status : undefined, limit });
        return untrustedResult({ approvals: page.items }, { count: page.items.length });
      }
      default: {
        // list_agents, get_agent_status, recent_logs: exactly what the Butler's model gets.
        const result = await tools.call(name, JSON.stringify(args));
        return { ...untrustedResult(result), isError: typeof result.error === 'string' };
      }
    }
  }
}
