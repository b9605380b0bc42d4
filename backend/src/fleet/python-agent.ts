import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PythonAgent {
  python: string;
  script: string;
}

/**
 * Finds a Python that can run the System-Monitor (needs Debian's python3-socketio): the first of
 * $ECHO_PYTHON, python3, /usr/bin/python3 whose `--check` passes (run with `env`, the child's
 * allow-listed environment). Null, with the reason, otherwise.
 */
export function findPythonAgent(root: string, env: Record<string, string>): PythonAgent | { reason: string } {
  const script = join(root, 'agents', 'python', 'system_monitor.py');
  if (!existsSync(script)) return { reason: `${script} is missing` };
  const candidates = [process.env.ECHO_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  let reason = 'python3 not found';
  for (const python of candidates) {
    // The check runs with the fleet child's allow-listed environment, not the hub's secrets.
    const res = spawnSync(python, [script, '--check'], { encoding: 'utf8', timeout: 10_000, env });
    if (res.status === 0) return { python, script };
    if (!res.error) reason = (res.stderr || res.stdout || `exit ${res.status}`).trim().split('\n').pop()!;
  }
  return { reason };
}
