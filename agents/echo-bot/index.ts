import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import { numberOption, type ProgramConfig } from '../fleet/program-config';
import { createEchoBot } from './agent';

export { createEchoBot };

/** `--heartbeat-ms` / ECHO_BOT_HEARTBEAT_MS. */
export function fromConfig(config: ProgramConfig) {
  return createEchoBot({ heartbeatMs: numberOption(config, 'heartbeat-ms', 'ECHO_BOT_HEARTBEAT_MS') });
}

if (require.main === module) exitWhenDone(runFromArgs('echo-bot', fromConfig, process.argv.slice(2)));
