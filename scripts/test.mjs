// `npm test`: every suite; MySQL/MariaDB and Redis suites run when MYSQL_URL / REDIS_URL are set.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt, ensureInstalled, run, say } from './lib.mjs';

ensureInstalled();
ensureBuilt();

const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const jest = (config, extra = [], env = {}) => run(process.execPath, [JEST, '-c', config, '--ci', ...extra], { env });

const suites = [
  ['backend unit + e2e (SQLite)', () => jest('backend/jest.config.js', ['--runInBand'])],
];
if (process.env.MYSQL_URL) {
  suites.push(['backend e2e (MySQL/MariaDB)', () => jest('backend/jest.config.js', ['--selectProjects', 'e2e', '--runInBand'], { E2E_DB: 'mysql' })]);
} else {
  say('MySQL e2e suite skipped: MYSQL_URL is not set (e.g. MYSQL_URL=mysql://root@127.0.0.1:3306 npm test)');
}
if (existsSync(join(ROOT, 'agents', 'jest.config.js'))) suites.push(['agents', () => jest('agents/jest.config.js', ['--runInBand'])]);
if (existsSync(join(ROOT, 'frontend', 'jest.config.js'))) suites.push(['console unit', () => jest('frontend/jest.config.js')]);

const failed = [];
for (const [name, runSuite] of suites) {
  say(`── ${name}`);
  const started = Date.now();
  const code = runSuite();
  say(`── ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) failed.push(name);
}
if (failed.length) {
  say(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
say('all suites passed');
