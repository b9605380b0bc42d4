/**
 * The demo fleet by name, with the descriptions the hub registers them under. Import-free on purpose:
 * the backend reads it to provision agents without loading any agent code.
 */
export const FLEET_AGENTS = [
  'storage-custodian',
  'echo-bot',
  'weather-sentinel',
  'code-reviewer-ai',
  'security-audit-bot',
  'ops-runner',
] as const;

export type FleetAgentName = (typeof FLEET_AGENTS)[number];

export const FLEET_DESCRIPTIONS: Record<FleetAgentName, string> = {
  'storage-custodian': 'Looks after a storage folder: status, listing, reading and finding files, cleanup.',
  'echo-bot': 'Echoes what it is given, for testing the loop end to end.',
  'weather-sentinel': 'Simulated weather station: periodic reports, forecast, trend and alerts.',
  'code-reviewer-ai': 'Reviews code with an LLM when one is configured, else with heuristics.',
  'security-audit-bot': "Audits the hub's log stream for error bursts and repeated failed logins.",
  'ops-runner':
    'Runs approved shell commands on inventory nodes over SSH; read-only probes (uptime, disk, memory, service status).',
};

/**
 * The read-only commands of each demo agent, with their args exactly as the agent's card gives them.
 * The hub launches these programs itself, so it confirms these claims when it provisions them; a card
 * that differs (other args, no read-only claim) needs an admin. cli.spec.ts keeps it equal to the cards.
 */
export const FLEET_READ_ONLY: Record<FleetAgentName, Record<string, string | null>> = {
  'storage-custodian': { get_status: null, list_files: null, get_file: '<name>', find: '<pattern>' },
  'echo-bot': { echo: '<text>', count: '<n>' },
  'weather-sentinel': { current: null, forecast: '[hours]', trend: '[hours]' },
  'code-reviewer-ai': { review: '<code>' },
  'security-audit-bot': { audit: '[window, e.g. 15m, 2h]' },
  'ops-runner': {
    uptime: '<node|tag:tag>',
    disk_usage: '<node|tag:tag>',
    memory: '<node|tag:tag>',
    service_status: '<node|tag:tag> <unit>',
  },
};

/**
 * Programs whose read-only claims an admin confirms, not the hub: they reach real machines. The hub
 * launches the Ops-Runner only once the node inventory has a node (backend/src/fleet).
 */
export const FLEET_ADMIN_CONFIRMS: readonly FleetAgentName[] = ['ops-runner'];

export function isFleetAgent(name: string): name is FleetAgentName {
  return (FLEET_AGENTS as readonly string[]).includes(name);
}
