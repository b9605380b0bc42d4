import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AgentCard } from '@echocenter/contracts';
import type { Agent, AgentProgram } from '../sdk';
import { errorMessage } from '../sdk';
import type { McpServerConfig } from './server-config';
import { ProgressRouter } from './progress-router';
import { callTool, ToolArguments } from './tool-call';
import { toolToCommand } from './tool-card';

export interface McpBridgeOptions {
  /** The card's description; default: the server's own name and version. */
  description?: string;
  /** Upper bound for one tool call when the hub's deadline is further away. Default 10 min. */
  maxCallMs?: number;
}

/** Every tool of the server, page by page. */
async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

function transportFor(config: McpServerConfig) {
  if (config.transport === 'http')
    return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers ?? {} } });
  // The server gets the SDK's minimal environment (PATH, HOME, USER, …) plus what the admin set for it, never the bridge's own.
  return new StdioClientTransport({
    command: config.command,
    args: config.args ?? [],
    cwd: config.cwd,
    env: { ...getDefaultEnvironment(), ...(config.env ?? {}) },
    stderr: 'inherit',
  });
}

/**
 * The MCP bridge: one MCP server as one agent of the fleet. Its tools are the agent's commands (input schema
 * as the args, annotations as the claims), kept current when the server says its tool list changed.
 */
export function createMcpBridge(config: McpServerConfig, options: McpBridgeOptions = {}): AgentProgram {
  const maxCallMs = options.maxCallMs ?? 600_000;
  const tools = new Map<string, ToolArguments>();
  const program: AgentProgram = {
    // Filled in by start(), which runs before the SDK announces the card.
    card: { commands: [] },
    async start(agent: Agent) {
      let closing = false;
      const progress = new ProgressRouter();
      const register = (list: Tool[]): AgentCard['commands'] => {
        tools.clear();
        const commands: AgentCard['commands'] = [];
        for (const tool of list) {
          const command = toolToCommand(tool);
          if (!command) {
            agent.log('WARNING', `tool "${tool.name}" skipped: its name is not a valid command name`);
            continue;
          }
          try {
            tools.set(tool.name, new ToolArguments(tool));
          } catch (err) {
            agent.log(
              'WARNING',
              `tool "${tool.name}" skipped: its input schema does not compile (${errorMessage(err)})`,
            );
            continue;
          }
          commands.push(command);
          // Handlers look the tool up when they run: a changed tool runs with its new schema, a removed one is refused.
          if (!agent.hasCommand(tool.name)) {
            agent.onCommand(tool.name, (text, ctx) => {
              const args = tools.get(ctx.command);
              if (!args) throw new Error(`${ctx.command} is no longer offered by this MCP server`);
              return callTool(
                client,
                progress,
                args,
                text,
                ctx,
                Math.min(maxCallMs, Math.max(1_000, ctx.deadline.getTime() - Date.now())),
              );
            });
          }
        }
        return commands;
      };
      const client: Client = new Client(
        { name: 'echocenter-mcp-bridge', version: '1.0.0' },
        {
          listChanged: {
            tools: {
              onChanged: (err, list) => {
                if (err || !list) return agent.log('ERROR', `could not re-read the tool list: ${errorMessage(err)}`);
                // A new card: the hub re-rules it, and confirmations of changed tools lapse (tool-card.ts).
                agent.hello({ ...program.card, commands: register(list) });
                agent.log('INFO', `tool list changed: ${list.length} tool(s)`);
              },
            },
          },
        },
      );
      client.onclose = () => {
        // The server went away: closing the agent ends the process, and the fleet launcher starts it again.
        if (!closing) {
          agent.log('ERROR', 'the MCP server closed the connection');
          void agent.close();
        }
      };
      const transport = transportFor(config);
      await client.connect(transport);
      progress.attach(transport);
      const server = client.getServerVersion();
      program.card = {
        description:
          options.description ??
          `MCP server ${server?.title ?? server?.name ?? ''} ${server?.version ?? ''}`.replace(/\s+/g, ' ').trim(),
        version: server?.version?.slice(0, 64),
        commands: register(await listAllTools(client)),
      };
      agent.log(
        'SUCCESS',
        `bridging ${tools.size} tool(s) of ${server?.name ?? 'the MCP server'} over ${config.transport}`,
      );
      return async () => {
        closing = true;
        await client.close().catch(() => undefined);
      };
    },
  };
  return program;
}
