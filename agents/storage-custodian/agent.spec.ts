import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createStorageCustodian, type StorageCustodianOptions } from './agent';

describe('Storage-Custodian', () => {
  let hub: TestHub;
  let sandbox: string;
  let folder: string;

  beforeEach(async () => {
    hub = await startHub();
    sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-'));
    folder = path.join(sandbox, 'hive_storage');
    await fs.writeFile(path.join(sandbox, 'secret.txt'), 'top secret');
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
    await fs.rm(sandbox, { recursive: true, force: true });
  });

  const start = (options: StorageCustodianOptions = {}) =>
    runProgram(hub, createStorageCustodian({ folder, ...options }));
  const run = async (command: string, args?: string) => hub.runCommand(AGENT.id, command, args).result;
  const json = async (command: string, args?: string) => {
    const result = await run(command, args);
    if (!result.ok) throw new Error(`${command} failed: ${result.error}`);
    return JSON.parse(result.result ?? '');
  };

  it('seeds sample files on first run, reports status and marks read-only commands', async () => {
    await start();
    const status = await json('get_status');
    expect(status).toMatchObject({ files: 8, quotaBytes: 50 * 1024 * 1024 });
    expect(status.bytes).toBeGreaterThan(0);
    expect(status.freeDiskBytes).toBeGreaterThan(0);
    const card = hub.hellos[0]!.card;
    const readOnly = Object.fromEntries(card.commands.map((c) => [c.name, c.readOnly]));
    expect(readOnly).toEqual({
      get_status: true,
      list_files: true,
      get_file: true,
      find: true,
      cleanup_tmp: false,
      archive: false,
    });
    await hub.waitFor(() => hub.logs.some((l) => l.content.startsWith('Storage: 8 files')), 2_000, 'status log');
  });

  it('answers in chat: help, get_status with its counts, a path outside refused, cleanup_tmp not run (issue 20)', async () => {
    await start();
    const member = { id: 2, name: 'member', kind: 'MEMBER' as const };
    const ask = async (text: string): Promise<string> => {
      const before = hub.messages.filter((m) => m.senderId === AGENT.id).length;
      hub.sendChat(AGENT.id, text, member);
      const replies = await hub.waitFor(
        () => {
          const all = hub.messages.filter((m) => m.senderId === AGENT.id);
          return all.length > before ? all : undefined;
        },
        2_000,
        'chat reply',
      );
      return replies[replies.length - 1]!.text;
    };
    expect(await ask('help')).toContain('- get_file <name>');
    expect(JSON.parse(await ask('get_status'))).toMatchObject({ files: 8 });
    expect(await ask('get_file ../secret.txt')).toMatch(/^Sorry, that failed: .*/);
    const before = (await json('list_files')).count;
    expect(await ask('cleanup_tmp')).toContain('Ask the Butler: test-agent: cleanup_tmp');
    expect((await json('list_files')).count).toBe(before);
  });

  it('does not seed a folder that already has files', async () => {
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'mine.txt'), 'keep me');
    await start();
    expect((await json('list_files')).files.map((f: { path: string }) => f.path)).toEqual(['mine.txt']);
  });

  it('answers a hostile find pattern at once instead of backtracking (issue 19, hole 7c)', async () => {
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'a'.repeat(50)), 'x');
    await start();
    const started = Date.now();
    // The hand-made regex took ~1.5 s on this name (and O(length^stars) in general) while blocking the agent.
    const result = await run('find', `${'*a'.repeat(7)}b`);
    expect(Date.now() - started).toBeLessThan(400);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('at most 3 runs of *') });
    expect((await json('find', 'a*a')).count).toBe(1);
  });

  it('lists, reads and finds files', async () => {
    await start({ maxFileBytes: 20 });
    const { files } = await json('list_files');
    expect(files.map((f: { path: string }) => f.path)).toContain('reports/2025-q1-sales.csv');
    const file = await json('get_file', 'reports/2025-q1-sales.csv');
    expect(file).toMatchObject({ path: 'reports/2025-q1-sales.csv', truncated: true, content: 'region,units,revenue' });
    expect((await json('find', '*.csv')).count).toBe(2);
    expect((await json('find', 'reports/*q2*')).matches[0].path).toBe('reports/2025-q2-sales.csv');
    expect((await json('find', 'MEETING')).matches.map((m: { path: string }) => m.path)).toEqual([
      'notes/meeting-notes.md',
    ]);
  });

  it('refuses every path outside the folder, including through symlinks, and logs the attempt', async () => {
    await start();
    await fs.symlink(path.join(sandbox, 'secret.txt'), path.join(folder, 'link.txt'));
    await fs.symlink(sandbox, path.join(folder, 'escape'));
    const probes = [
      '../secret.txt',
      'reports/../../secret.txt',
      path.join(sandbox, 'secret.txt'),
      '/etc/passwd',
      'link.txt',
      'escape/secret.txt',
      '..\\secret.txt',
    ];
    for (const probe of probes) {
      const result = await run('get_file', probe);
      expect({ probe, ok: result.ok, error: result.error }).toEqual({
        probe,
        ok: false,
        error: expect.stringMatching(/refused|outside/),
      });
    }
    expect(JSON.stringify(await json('list_files'))).not.toContain('secret');
    const warnings = hub.logs.filter((l) => l.level === 'WARNING' && l.content.startsWith('Refused get_file'));
    expect(warnings).toHaveLength(probes.length);
    expect(warnings[0]!.content).toContain('requested by operator');
  });

  it('cleans up temporary files (a side-effecting command)', async () => {
    await start();
    const outcome = await json('cleanup_tmp');
    expect(outcome.removed.sort()).toEqual(['tmp/cache-7f3a.tmp', 'tmp/upload-42.tmp']);
    expect(outcome.freedBytes).toBeGreaterThan(0);
    expect((await json('list_files')).count).toBe(6);
  });

  it('archives a file without overwriting, and refuses to archive from outside', async () => {
    await start();
    expect(await json('archive', 'notes/meeting-notes.md')).toEqual({
      from: 'notes/meeting-notes.md',
      to: 'archive/notes/meeting-notes.md',
    });
    await fs.writeFile(path.join(folder, 'notes/meeting-notes.md'), 'new notes');
    expect((await json('archive', 'notes/meeting-notes.md')).to).toBe('archive/notes/meeting-notes.md.2');
    await expect(run('archive', '../secret.txt')).resolves.toMatchObject({ ok: false });
    await expect(fs.readFile(path.join(sandbox, 'secret.txt'), 'utf8')).resolves.toBe('top secret');
    await expect(run('get_file', 'nope.txt')).resolves.toMatchObject({ ok: false, error: 'no such file: "nope.txt"' });
  });

  it('logs one WARNING when usage passes the threshold', async () => {
    await start({ quotaBytes: 1_000, warnPercent: 50, statusIntervalMs: 50 });
    await hub.waitFor(() => hub.logs.filter((l) => l.content.startsWith('Storage:')).length >= 3, 3_000, 'status logs');
    const warnings = hub.logs.filter((l) => l.level === 'WARNING');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.content).toMatch(/Storage usage at [\d.]+% of quota, above the 50% threshold/);
  });
});
