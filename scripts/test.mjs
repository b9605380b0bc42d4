// `npm test`: every suite; MySQL/MariaDB and Redis suites run when MYSQL_URL / REDIS_URL are set.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt, ensureInstalled, run, say } from './lib.mjs';

ensureInstalled();
ensureBuilt();

const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const jest = (config, extra = [], env = {}) => run(process.execPath, [JEST, '-c', config, '--ci', ...extra], { env });

// ESLint (typed rules) and Prettier's check, both cached under node_modules/.cache between local runs.
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const PRETTIER = join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
const lint = () =>
  run(process.execPath, [ESLINT, '.', '--cache', '--cache-location', 'node_modules/.cache/eslint/']) ||
  run(process.execPath, [PRETTIER, '--check', '--cache', '--log-level', 'warn', '.']);

const suites = [
  ['lint (ESLint + Prettier)', lint],
  ['backend unit + e2e (SQLite)', () => jest('backend/jest.config.js', ['--runInBand'])],
];
if (process.env.MYSQL_URL) {
  suites.push([
    'backend e2e (MySQL/MariaDB)',
    () => jest('backend/jest.config.js', ['--selectProjects', 'e2e', '--runInBand'], { E2E_DB: 'mysql' }),
  ]);
} else {
  say('MySQL e2e suite skipped: MYSQL_URL is not set (e.g. MYSQL_URL=mysql://root@127.0.0.1:3306 npm test)');
}
if (existsSync(join(ROOT, 'agents', 'jest.config.js')))
  suites.push(['agents', () => jest('agents/jest.config.js', ['--runInBand'])]);
if (existsSync(join(ROOT, 'frontend', 'jest.config.js')))
  suites.push(['console unit', () => jest('frontend/jest.config.js')]);
suites.push(['console initial size', () => run(process.execPath, ['frontend/tools/initial-size.mjs'])]);
// Debian's Chromium, never a downloaded one: without it the browser suite is skipped, not failed.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(chromium)) {
  suites.push(['console in Chromium (browser e2e)', () => jest('e2e/jest.config.js', ['--runInBand'])]);
} else {
  say(`browser e2e suite skipped: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const failed = [];
for (const [name, runSuite] of suites) {
  say(`── ${name}`);
  const started = Date.now();
  const code = runSuite();
  say(
    `── ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (code !== 0) failed.push(name);
}
if (failed.length) {
  say(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
say('all suites passed');
