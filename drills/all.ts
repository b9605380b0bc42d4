// `npm run drill:all`: every drill in turn with its full-length defaults, then one summary line each.
// Each drill starts and removes its own nodes, database and private servers; one failing goes on.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const DRILLS: [string, string[]][] = [
  ['kill-node.ts', []],
  ['kill-node.ts', ['--sigterm']],
  ['db-outage.ts', []],
  ['redis-outage.ts', []],
  ['barrage.ts', []],
  ['slow-consumer.ts', []],
  ['approvals-restart.ts', []],
  ['butler-crash.ts', []],
  ['nginx-failover.ts', []],
  ['chaos.ts', ['--minutes', '5', '--seed', '1']],
];

const tsx = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const results: string[] = [];
let failed = 0;
for (const [file, args] of DRILLS) {
  const started = Date.now();
  const res = spawnSync(process.execPath, [tsx, join(__dirname, file), ...args], {
    stdio: 'inherit',
    env: process.env,
  });
  const verdict = res.status === 0 ? 'PASS' : res.status === 1 ? 'FAIL' : `could not run (exit ${res.status})`;
  if (res.status !== 0) failed++;
  results.push(`${verdict.padEnd(6)} ${file} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
process.stdout.write(`\n=== drills ===\n${results.join('\n')}\n`);
process.exit(failed ? 1 : 0);
