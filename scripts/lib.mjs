// Shared by start/test/build: install and build only what is missing or stale.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function say(line) {
  process.stdout.write(`[echocenter] ${line}\n`);
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: 'inherit',
    ...opts,
    env: { ...process.env, ...(opts.env ?? {}) },
  });
  return res.status ?? 1;
}

export function runOrExit(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    say(`${cmd} ${args.join(' ')} failed (exit ${code})`);
    process.exit(code);
  }
}

/** Newest mtime under the given paths (files or folders), ignoring build output and dependencies. */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (!['node_modules', 'dist', '.angular'].includes(name)) walk(join(p, name));
    } else max = Math.max(max, st.mtimeMs);
  };
  paths.forEach((p) => walk(join(ROOT, p)));
  return max;
}

function stale(output, sources) {
  const out = join(ROOT, output);
  return !existsSync(out) || statSync(out).mtimeMs < newest(sources);
}

export function ensureInstalled() {
  if (existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) return;
  say('installing dependencies (first run, a few minutes)…');
  runOrExit(
    'npm',
    existsSync(join(ROOT, 'package-lock.json'))
      ? ['ci', '--no-audit', '--no-fund']
      : ['install', '--no-audit', '--no-fund'],
  );
}

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export function ensureBuilt({ frontend = true } = {}) {
  if (
    stale('backend/dist/main.js', [
      'backend/src',
      'contracts/src',
      'backend/tsconfig.json',
      'backend/tsconfig.build.json',
    ])
  ) {
    say('building the backend…');
    runOrExit(process.execPath, [TSC, '-p', 'backend/tsconfig.build.json']);
  }
  if (
    existsSync(join(ROOT, 'agents', 'tsconfig.build.json')) &&
    stale('agents/dist/cli.js', ['agents', 'contracts/src'])
  ) {
    say('building the agents…');
    runOrExit(process.execPath, [TSC, '-p', 'agents/tsconfig.build.json']);
  }
  if (frontend && stale('frontend/dist/browser/index.html', ['frontend/src', 'contracts/src', 'angular.json'])) {
    say('building the console…');
    runOrExit(process.execPath, [join(ROOT, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build', 'frontend'], {
      env: { NG_CLI_ANALYTICS: 'false' },
    });
  }
}

/** Runs a long-lived child with inherited output, forwarding termination signals to it. */
export function supervise(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}
