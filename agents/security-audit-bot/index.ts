import { exitWhenDone, runFromArgs } from '../fleet/standalone';
import { numberOption, type ProgramConfig } from '../fleet/program-config';
import { createSecurityAuditBot } from './agent';

export { createSecurityAuditBot };

/** Reads logs from the same hub it connects to, with its own token. Flag / env: --poll-interval-ms AUDIT_POLL_INTERVAL_MS. */
export function fromConfig(config: ProgramConfig) {
  return createSecurityAuditBot({
    url: config.url,
    token: config.token,
    pollIntervalMs: numberOption(config, 'poll-interval-ms', 'AUDIT_POLL_INTERVAL_MS'),
  });
}

if (require.main === module) exitWhenDone(runFromArgs('security-audit-bot', fromConfig, process.argv.slice(2)));
