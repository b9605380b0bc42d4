import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createOpsRunner } from './agent';
import { ProgressThrottle } from './progress-throttle';
import { unitProblem } from './probes';
import { wrapRemote } from './remote-wrapper';
import { allSucceeded, formatReport } from './report';
import type { NodeOutcome } from './ssh-exec';
import { TailBuffer } from './tail-buffer';
import { Utf8Stream } from './utf8-stream';

const run = promisify(execFile);

describe('TailBuffer', () => {
  it('keeps the last bytes and counts what it dropped', () => {
    const buf = new TailBuffer(10);
    buf.push(Buffer.from('0123456789'));
    expect(buf.truncated).toBe(false);
    buf.push(Buffer.from('abcdef'));
    expect(buf.text()).toBe('6789abcdef');
    expect(buf.truncated).toBe(true);
    expect(buf.droppedBytes).toBe(6);
  });
});

describe('Utf8Stream', () => {
  it('never breaks a multi-byte character split across chunks, wherever the split falls', () => {
    const text = 'héllo 世界 🚀 done';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const seen: string[] = [];
      const stream = new Utf8Stream((t) => seen.push(t));
      stream.push(bytes.subarray(0, cut));
      stream.push(bytes.subarray(cut));
      stream.end();
      expect(seen.join('')).toBe(text);
      expect(seen.join('')).not.toContain('\uFFFD');
    }
  });

  it('says an incomplete last character at the end rather than dropping it silently', () => {
    const seen: string[] = [];
    const stream = new Utf8Stream((t) => seen.push(t));
    stream.push(Buffer.from('ok ', 'utf8'));
    stream.push(Buffer.from('世').subarray(0, 2));
    expect(seen.join('')).toBe('ok ');
    stream.end();
    expect(seen.join('')).toBe('ok \uFFFD');
  });
});

describe('ProgressThrottle', () => {
  it('sends at most one message per interval, newest part kept, skipped characters said', async () => {
    const sent: string[] = [];
    const throttle = new ProgressThrottle((t) => sent.push(t), 30, 20);
    for (let i = 0; i < 100; i++) throttle.push(`line ${i}\n`);
    expect(sent).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^\[… \d+ characters not streamed; the result keeps the tail\]\n/);
    expect(sent[0]!.endsWith('line 99')).toBe(true);
  });
});

describe('service_status unit names', () => {
  it.each(['nginx', 'nginx.service', 'getty@tty1.service', 'sys-devices-x.device'])('accepts %s', (u) =>
    expect(unitProblem(u)).toBeNull(),
  );
  it.each(['-H evil', '--all', 'a;rm -rf /', '$(id)', 'a b', '../x', ''])('refuses %j', (u) =>
    expect(unitProblem(u)).not.toBeNull(),
  );
});

describe('formatReport', () => {
  const outcome = (node: string, o: Partial<NodeOutcome>): NodeOutcome => ({
    node,
    exitCode: 0,
    error: null,
    output: '',
    truncated: false,
    droppedBytes: 0,
    durationMs: 5,
    ...o,
  });

  it('gives every node its exit code or error, and says when output was cut', () => {
    const text = formatReport(
      [
        outcome('a', { output: 'hello\n' }),
        outcome('b', { exitCode: null, error: 'HOST_KEY_MISMATCH: no' }),
        outcome('c', { exitCode: 2, output: 'x', truncated: true, droppedBytes: 99 }),
      ],
      10_000,
    );
    expect(text).toBe(
      '── a · exit 0 · 5 ms\nhello\n── b · HOST_KEY_MISMATCH: no · 5 ms\n── c · exit 2 · 5 ms · output truncated: last part kept, 99 bytes dropped\nx',
    );
    expect(allSucceeded([outcome('a', {})])).toBe(true);
    expect(allSucceeded([outcome('a', {}), outcome('b', { exitCode: 1 })])).toBe(false);
  });

  it('shares the size limit between nodes, keeping each tail', () => {
    const text = formatReport(
      [outcome('a', { output: 'A'.repeat(5000) + 'END-A' }), outcome('b', { output: 'B'.repeat(5000) + 'END-B' })],
      2000,
    );
    expect(text.length).toBeLessThan(2000);
    expect(text).toContain('END-A');
    expect(text).toContain('END-B');
    expect(text).toMatch(/── a · exit 0 · 5 ms · output truncated/);
  });
});

describe('wrapRemote (run by a real sh)', () => {
  it('runs the command text exactly, quotes and all, and passes its exit code through', async () => {
    const { stdout } = await run('sh', ['-c', wrapRemote(`printf '%s|' "it's" 'a b' "$((1+2))"; echo`)]);
    expect(stdout).toBe("it's|a b|3|\n");
    await expect(run('sh', ['-c', wrapRemote('echo out; exit 3')])).rejects.toMatchObject({ code: 3, stdout: 'out\n' });
  });
});

describe('Ops-Runner program', () => {
  it('claims read-only only for its fixed probes, never for run', () => {
    const card = createOpsRunner({ url: 'http://h', token: 't' }).card;
    expect(card.commands.filter((c) => c.readOnly).map((c) => c.name)).toEqual([
      'uptime',
      'disk_usage',
      'memory',
      'service_status',
    ]);
    expect(card.commands.find((c) => c.name === 'run')).toMatchObject({ readOnly: false });
  });
});
