/**
 * How the bridge reaches its MCP server, as the hub hands it over in `MCP_SERVER` (JSON): a command line it
 * runs over stdio, or a Streamable HTTP URL with headers (decrypted by the hub; never logged).
 */
export type McpServerConfig =
  | { transport: 'stdio'; command: string; args?: string[]; cwd?: string; env?: Record<string, string> }
  | { transport: 'http'; url: string; headers?: Record<string, string> };

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Reads and checks the JSON; a message names what is wrong (the CLI turns it into a usage error). */
export function parseServerConfig(json: string | undefined): McpServerConfig {
  if (!json) throw new Error('MCP_SERVER is not set: a JSON description of the MCP server to bridge');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new Error('MCP_SERVER is not valid JSON');
  }
  if (raw.transport === 'stdio') {
    if (typeof raw.command !== 'string' || !raw.command)
      throw new Error('MCP_SERVER.command: the program to run is required for stdio');
    if (raw.args !== undefined && !(Array.isArray(raw.args) && raw.args.every((a) => typeof a === 'string')))
      throw new Error('MCP_SERVER.args must be a list of strings');
    if (raw.env !== undefined && !isStringMap(raw.env)) throw new Error('MCP_SERVER.env must map names to strings');
    if (raw.cwd !== undefined && typeof raw.cwd !== 'string') throw new Error('MCP_SERVER.cwd must be a path');
    return {
      transport: 'stdio',
      command: raw.command,
      args: raw.args as string[] | undefined,
      cwd: raw.cwd as string | undefined,
      env: raw.env as Record<string, string> | undefined,
    };
  }
  if (raw.transport === 'http') {
    if (typeof raw.url !== 'string' || !/^https?:\/\//.test(raw.url))
      throw new Error('MCP_SERVER.url must be an http(s) URL');
    if (raw.headers !== undefined && !isStringMap(raw.headers))
      throw new Error('MCP_SERVER.headers must map names to strings');
    return { transport: 'http', url: raw.url, headers: raw.headers as Record<string, string> | undefined };
  }
  throw new Error('MCP_SERVER.transport must be "stdio" or "http"');
}
