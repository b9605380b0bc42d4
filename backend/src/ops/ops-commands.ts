import { splitCommand } from '../commands/command-text';

/**
 * The Ops-Runner's commands, as the hub knows them: each takes a target first (`web-1` or `tag:web`).
 * `run` carries free shell text, so it is never read-only and an allow-rule may only repeat its exact
 * text; the probes run fixed text on the agent's side.
 */
export const OPS_RUN = 'run';
export const OPS_PROBES = ['uptime', 'disk_usage', 'memory', 'service_status'] as const;
export const OPS_COMMANDS: readonly string[] = [OPS_RUN, ...OPS_PROBES];

/** The target of an ops command's text (`run tag:web uptime` → `tag:web`), or null. */
export function opsTarget(command: string, args: string | null): string | null {
  if (!OPS_COMMANDS.includes(command) || !args) return null;
  return splitCommand(args).name || null;
}
