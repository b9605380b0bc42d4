import { EXIT } from './sdk';
import { FLEET_AGENTS, FLEET_DESCRIPTIONS, isFleetAgent } from './fleet/catalog';
import { FLEET_PROGRAMS } from './fleet/registry';
import { USAGE_TAIL, exitWhenDone, runFromArgs } from './fleet/standalone';

/** `node agents/dist/cli.js <agent> --url <url> --token <token>`: runs one fleet agent against any hub. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name && isFleetAgent(name)) return runFromArgs(name, FLEET_PROGRAMS[name], rest);
  const list = FLEET_AGENTS.map((agent) => `  ${agent.padEnd(20)} ${FLEET_DESCRIPTIONS[agent]}`).join('\n');
  const usage = `Usage: node agents/dist/cli.js <agent> --url <url> --token <token>\nAgents:\n${list}\n${USAGE_TAIL}\n`;
  const asked = !name || name === '--help' || name === 'help';
  (asked ? process.stdout : process.stderr).write(asked ? usage : `Unknown agent "${name}".\n${usage}`);
  return asked ? EXIT.OK : EXIT.USAGE;
}

if (require.main === module) exitWhenDone(main(process.argv.slice(2)));
