import { fromConfig as codeReviewer } from '../code-reviewer-ai';
import { fromConfig as echoBot } from '../echo-bot';
import { fromConfig as opsRunner } from '../ops-runner';
import { fromConfig as securityAuditBot } from '../security-audit-bot';
import { fromConfig as storageCustodian } from '../storage-custodian';
import { fromConfig as weatherSentinel } from '../weather-sentinel';
import type { FleetAgentName } from './catalog';
import type { ProgramFactory } from './program-config';

/** How the CLI builds each fleet program from its flags and environment. */
export const FLEET_PROGRAMS: Record<FleetAgentName, ProgramFactory> = {
  'storage-custodian': storageCustodian,
  'echo-bot': echoBot,
  'weather-sentinel': weatherSentinel,
  'code-reviewer-ai': codeReviewer,
  'security-audit-bot': securityAuditBot,
  'ops-runner': opsRunner,
};
