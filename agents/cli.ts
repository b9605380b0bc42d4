import { EXIT } from './sdk';
import { FLEET_AGENTS, FLEET_DESCRIPTIONS, isFleetAgent } from './fleet/catalog';
import { FLEET_PROGRAMS } from './fleet/registry';
import { fromConfig as mcpBridge } from './mcp-bridge';
import { USAGE_TAIL, exitWhenDone, runFromArgs } from './fleet/standalone';

/** `node agents/dist/cli.js <agent> --url <url> --token <token>`: runs one fleet agent against any hub. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name && isFleetAgent(name)) return runFromArgs(name, FLEET_PROGRAMS[name], rest);
  // Not a demo agent: one per MCP server an admin adds, started by the hub with MCP_SERVER set.
  if (name === 'mcp-bridge') return runFromArgs(name, mcpBridge, rest);
  const list = [
    ...FLEET_AGENTS.map((agent) => `  ${agent.padEnd(20)} ${FLEET_DESCRIPTIONS[agent]}`),
    `  ${'mcp-bridge'.padEnd(20)} any MCP server as an agent (MCP_SERVER: its JSON description, see docs/mcp.md)`,
  ].join('\n');
  const usage = `Usage: node agents/dist/cli.js <agent> --url <url> --token <token>\nAgents:\n${list}\n${USAGE_TAIL}\n`;
  const asked = !name || name === '--help' || name === 'help';
  (asked ? process.stdout : process.stderr).write(asked ? usage : `Unknown agent "${name}".\n${usage}`);
  return asked ? EXIT.OK : EXIT.USAGE;
}

if (require.main === module) exitWhenDone(main(process.argv.slice(2)));
