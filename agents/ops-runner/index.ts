import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import { numberOption, type ProgramConfig } from '../fleet/program-config';
import { createOpsRunner } from './agent';

export { createOpsRunner };

/** Flags / env: --output-max OPS_OUTPUT_MAX (bytes kept per node), --connect-timeout-ms OPS_CONNECT_TIMEOUT_MS. */
export function fromConfig(config: ProgramConfig) {
  return createOpsRunner({
    url: config.url,
    token: config.token,
    outputMaxBytes: numberOption(config, 'output-max', 'OPS_OUTPUT_MAX'),
    connectTimeoutMs: numberOption(config, 'connect-timeout-ms', 'OPS_CONNECT_TIMEOUT_MS'),
  });
}

if (require.main === module) exitWhenDone(runFromArgs('ops-runner', fromConfig, process.argv.slice(2)));
