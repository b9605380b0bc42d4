// Small helpers shared by every drill: ports, waiting, memory readings and the report.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A port the OS says is free right now (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 50 ms until it is true; throws with `what` after `ms`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Resident set size of a process in MiB, from /proc (Linux); NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export const mib = (n: number) => `${n.toFixed(1)} MiB`;

/** What a drill prints at the end: figures, then every failed expectation. It never throws. */
export class Report {
  readonly figures: [string, string | number][] = [];
  readonly failures: string[] = [];
  /** Known gaps that lose nothing stored but should be fixed; they fail only with DRILL_STRICT=1. */
  readonly warnings: string[] = [];
  constructor(readonly name: string) {}

  fig(label: string, value: string | number): void {
    this.figures.push([label, value]);
  }

  expect(ok: boolean, what: string): void {
    if (!ok) this.failures.push(what);
  }

  warn(ok: boolean, what: string): void {
    if (ok) return;
    if (process.env.DRILL_STRICT === '1') this.failures.push(what);
    else this.warnings.push(what);
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  print(out: (line: string) => void = (l) => process.stdout.write(l + '\n')): void {
    out(`\n=== drill: ${this.name} ===`);
    const w = Math.max(...this.figures.map(([l]) => l.length), 10);
    for (const [label, value] of this.figures) out(`  ${label.padEnd(w)}  ${value}`);
    for (const w of this.warnings) out(`  WARNING: ${w}`);
    out(
      this.ok
        ? '  RESULT: PASS (nothing lost)'
        : `  RESULT: FAIL\n${this.failures.map((f) => `    - ${f}`).join('\n')}`,
    );
  }
}

export function log(line: string): void {
  if (process.env.DRILL_QUIET !== '1')
    process.stdout.write(`[drill ${new Date().toISOString().slice(11, 23)}] ${line}\n`);
}
