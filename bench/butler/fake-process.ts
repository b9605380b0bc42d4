import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * The fake model in a process of its own, like a remote endpoint: its 800 ms timers never wait behind the
 * benchmark's own socket work, and the hub reaches it over real loopback HTTP.
 */
export async function startFakeModelProcess(latencyMs: number): Promise<{ url: string; stop(): Promise<void> }> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(
    process.execPath,
    [
      tsx,
      join(ROOT, 'backend', 'test', 'fakes', 'fake-openai.ts'),
      '--port',
      '0',
      '--delay',
      String(latencyMs),
      '--chunk-delay',
      '0',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`fake model exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
