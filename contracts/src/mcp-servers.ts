/** How the hub reaches an MCP server it bridges as an agent (docs/mcp.md). */
export type McpTransport = 'stdio' | 'http';

/** One MCP server bridged as an agent (GET /api/mcp-servers, admins). Header and env values are never returned. */
export interface McpServerDto {
  id: number;
  agentId: number;
  name: string;
  transport: McpTransport;
  /** stdio: the program and its arguments. */
  command: string | null;
  args: string[];
  /** stdio: names of the variables set for the server (values are secret). */
  envNames: string[];
  /** http: the Streamable HTTP endpoint. */
  url: string | null;
  /** http: names of the headers sent (values are secret). */
  headerNames: string[];
  /** Whether this node runs its bridge, and how it is doing. */
  bridge: 'running' | 'restarting' | 'failed' | 'stopped';
  createdAt: string;
}

export interface CreateMcpServerRequest {
  /** The agent's name in the fleet. */
  name: string;
  description?: string;
  transport: McpTransport;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}
