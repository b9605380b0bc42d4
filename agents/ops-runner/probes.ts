/**
 * The Ops-Runner's read-only probes: fixed command text, so an admin can confirm them read-only knowing
 * exactly what runs. Only `service_status` takes a value, a systemd unit name checked before use.
 */
export const PROBES = {
  uptime: () => 'uptime',
  disk_usage: () => 'df -hP',
  memory: () => 'free -m 2>/dev/null || head -n 5 /proc/meminfo',
  service_status: (unit: string) => `systemctl status --no-pager --lines=20 -- ${unit}`,
} as const;

export type ProbeName = keyof typeof PROBES;

// systemd unit names: letters, digits and ":-_.\@", with a type suffix or not; never an option or a path.
const UNIT = /^[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,127}$/;

export function unitProblem(unit: string | undefined): string | null {
  if (!unit) return 'give a unit name, e.g. service_status web-1 nginx.service';
  if (!UNIT.test(unit)) return `"${unit}" is not a systemd unit name (letters, digits, ":-_.@", 128 at most)`;
  return null;
}
