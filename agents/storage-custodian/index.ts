import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import { numberOption, option, type ProgramConfig } from '../fleet/program-config';
import { createStorageCustodian } from './agent';

export { createStorageCustodian };

/** Flags / env: --folder STORAGE_DIR, --status-interval-ms, --quota-bytes, --warn-percent. */
export function fromConfig(config: ProgramConfig) {
  return createStorageCustodian({
    folder: option(config, 'folder', 'STORAGE_DIR'),
    statusIntervalMs: numberOption(config, 'status-interval-ms', 'STORAGE_STATUS_INTERVAL_MS'),
    quotaBytes: numberOption(config, 'quota-bytes', 'STORAGE_QUOTA_BYTES'),
    warnPercent: numberOption(config, 'warn-percent', 'STORAGE_WARN_PERCENT'),
  });
}

if (require.main === module) exitWhenDone(runFromArgs('storage-custodian', fromConfig, process.argv.slice(2)));
