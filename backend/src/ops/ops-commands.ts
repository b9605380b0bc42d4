import { splitCommand } from '../commands/command-text';

/**
 * The Ops-Runner's commands, as the hub knows them: each takes a target first (`web-1` or `tag:web`).
 * `run` carries free shell text, so it is never read-only and an allow-rule may only repeat its exact
 * text; the probes run fixed text on the agent's side.
 */
export const OPS_RUN = 'run';
export const OPS_PROBES = ['uptime', 'disk_usage', 'memory', 'service_status'] as const;
export const OPS_COMMANDS: readonly string[] = [OPS_RUN, ...OPS_PROBES];

// A systemd unit name, as agents/ops-runner/probes.ts checks it: never an option, a path or shell text.
const UNIT = /^[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,127}$/;

/** The target of an ops command's text (`run tag:web uptime` → `tag:web`), or null. */
export function opsTarget(command: string, args: string | null): string | null {
  if (!OPS_COMMANDS.includes(command) || !args) return null;
  return splitCommand(args).name || null;
}

/**
 * What is wrong with an ops command's arguments, or null. The hub checks them itself (before an approval is
 * asked for and before a key leaves) rather than trusting the agent's check: a probe confirmed read-only
 * runs without anyone reading it, so `service_status web-1 --all;id` must never get a key.
 */
export function opsArgumentProblem(command: string, args: string | null): string | null {
  if (!OPS_COMMANDS.includes(command)) return null;
  if (!opsTarget(command, args)) return `${command} needs a target: a node name or tag:<tag>`;
  const rest = splitCommand(args!).args;
  if (command === OPS_RUN) return rest ? null : `usage: run <node|tag:tag> <shell command>`;
  if (command === 'service_status') {
    if (!rest) return 'usage: service_status <node|tag:tag> <unit>';
    return UNIT.test(rest) ? null : `"${rest}" is not a systemd unit name (letters, digits, ":-_.@", 128 at most)`;
  }
  return rest ? `usage: ${command} <node|tag:tag> (it takes no other argument)` : null;
}
