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
] as const;

export type FleetAgentName = (typeof FLEET_AGENTS)[number];

export const FLEET_DESCRIPTIONS: Record<FleetAgentName, string> = {
  'storage-custodian': 'Looks after a storage folder: status, listing, reading and finding files, cleanup.',
  'echo-bot': 'Echoes what it is given, for testing the loop end to end.',
  'weather-sentinel': 'Simulated weather station: periodic reports, forecast, trend and alerts.',
  'code-reviewer-ai': 'Reviews code with an LLM when one is configured, else with heuristics.',
  'security-audit-bot': "Audits the hub's log stream for error bursts and repeated failed logins.",
};

export function isFleetAgent(name: string): name is FleetAgentName {
  return (FLEET_AGENTS as readonly string[]).includes(name);
}
