import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Agent, AgentProgram, CommandContext } from '../sdk';
import { seedIfEmpty } from './seed';
import { PathRefusedError, StorageFolder, formatBytes, type StorageStatus } from './storage';

export interface StorageCustodianOptions {
  /** Default ./data/hive_storage (relative to the working directory). */
  folder?: string;
  /** Periodic status log. Default 30 s. */
  statusIntervalMs?: number;
  /** Usage is measured against this. Default 50 MiB. */
  quotaBytes?: number;
  /** WARNING once usage passes this share of the quota. Default 80 (%). */
  warnPercent?: number;
  /** get_file serves at most this much of a file. Default 16 000 bytes (the protocol's text limit). */
  maxFileBytes?: number;
}

export const DEFAULT_FOLDER = './data/hive_storage';

/** Storage-Custodian: looks after one folder and answers questions about it, never outside it. */
export function createStorageCustodian(options: StorageCustodianOptions = {}): AgentProgram {
  const {
    folder = DEFAULT_FOLDER,
    statusIntervalMs = 30_000,
    quotaBytes = 50 * 1024 * 1024,
    warnPercent = 80,
    maxFileBytes = 16_000,
  } = options;
  return {
    persona:
      'A tidy, precise storage custodian. You know your folder only: files, sizes, quota and free disk, and answer with exact numbers.',
    card: {
      description: 'Looks after a storage folder: status, listing, reading and finding files, cleanup.',
      version: '1.0.0',
      commands: [
        { name: 'get_status', description: 'File count, bytes used against the quota, free disk.', readOnly: true },
        { name: 'list_files', description: 'Every file with its size and modification time.', readOnly: true },
        {
          name: 'get_file',
          args: '<name>',
          description: `A text file's content (first ${maxFileBytes} bytes).`,
          readOnly: true,
        },
        {
          name: 'find',
          args: '<pattern>',
          description: 'Files whose name matches a glob (*.csv) or contains a text.',
          readOnly: true,
        },
        { name: 'cleanup_tmp', description: 'Deletes *.tmp files and everything under tmp/.', readOnly: false },
        { name: 'archive', args: '<name>', description: 'Moves a file under archive/.', readOnly: false },
      ],
    },
    async start(agent) {
      const seeded = await seedIfEmpty(folder);
      const storage = new StorageFolder(await fs.realpath(folder), quotaBytes);
      if (seeded.length > 0) agent.log('INFO', `Seeded ${seeded.length} sample files into ${path.resolve(folder)}`);
      registerCommands(agent, storage, maxFileBytes);
      const monitor = new UsageMonitor(agent, storage, warnPercent);
      void monitor.check();
      const timer = setInterval(() => void monitor.check(), statusIntervalMs);
      return () => clearInterval(timer);
    },
  };
}

function registerCommands(agent: Agent, storage: StorageFolder, maxFileBytes: number): void {
  // Refusals are logged: an operator (and the security audit bot) should see who probed the folder.
  const guarded =
    <T>(run: (args: string, ctx: CommandContext) => Promise<T>) =>
    async (args: string, ctx: CommandContext): Promise<T> => {
      try {
        return await run(args, ctx);
      } catch (err) {
        if (err instanceof PathRefusedError) {
          agent.log('WARNING', `Refused ${ctx.command} "${args}" requested by ${ctx.from.name}: ${err.message}`);
        }
        throw err;
      }
    };

  agent.onCommand('get_status', async (_args, ctx) => {
    ctx.stream('Scanning storage…');
    return storage.status();
  });
  agent.onCommand('list_files', async () => {
    const files = await storage.list();
    return { count: files.length, files };
  });
  agent.onCommand(
    'get_file',
    guarded((args) => storage.read(args, maxFileBytes)),
  );
  agent.onCommand('find', async (args) => {
    const matches = await storage.find(args);
    return { pattern: args, count: matches.length, matches };
  });
  agent.onCommand('cleanup_tmp', async (_args, ctx) => {
    const outcome = await storage.cleanupTmp();
    agent.log(
      'SUCCESS',
      `cleanup_tmp for ${ctx.from.name}: removed ${outcome.removed.length} files, freed ${formatBytes(outcome.freedBytes)}`,
    );
    return outcome;
  });
  agent.onCommand(
    'archive',
    guarded(async (args, ctx) => {
      const moved = await storage.archive(args);
      agent.log('SUCCESS', `Archived ${moved.from} → ${moved.to} for ${ctx.from.name}`);
      return moved;
    }),
  );
}

/** Periodic status log, plus one WARNING when usage crosses the threshold (and a note when it recovers). */
class UsageMonitor {
  private above = false;
  private lastFiles: number | undefined;

  constructor(
    private readonly agent: Agent,
    private readonly storage: StorageFolder,
    private readonly warnPercent: number,
  ) {}

  async check(): Promise<void> {
    let status: StorageStatus;
    try {
      status = await this.storage.status();
    } catch (err) {
      this.agent.log('ERROR', `Storage status failed: ${(err as Error).message}`);
      return;
    }
    const change =
      this.lastFiles === undefined || this.lastFiles === status.files
        ? ''
        : ` (${signed(status.files - this.lastFiles)} since last check)`;
    this.lastFiles = status.files;
    this.agent.log(
      'INFO',
      `Storage: ${status.files} files${change}, ${formatBytes(status.bytes)} (${status.usagePercent}% of ${formatBytes(status.quotaBytes)}), ${formatBytes(status.freeDiskBytes)} free on disk`,
    );
    const above = status.usagePercent >= this.warnPercent;
    if (above && !this.above) {
      this.agent.log(
        'WARNING',
        `Storage usage at ${status.usagePercent}% of quota, above the ${this.warnPercent}% threshold`,
      );
    } else if (!above && this.above) {
      this.agent.log(
        'SUCCESS',
        `Storage usage back to ${status.usagePercent}%, below the ${this.warnPercent}% threshold`,
      );
    }
    this.above = above;
  }
}

function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${n} files`;
}
