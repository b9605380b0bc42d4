import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { globMatcher, isGlob } from './glob';
import { PathRefusedError, resolveInside } from './safe-path';

export interface FileEntry {
  /** Relative to the storage folder, always with forward slashes. */
  path: string;
  bytes: number;
  modifiedAt: string;
}

export interface StorageStatus {
  folder: string;
  files: number;
  bytes: number;
  quotaBytes: number;
  usagePercent: number;
  freeDiskBytes: number;
  totalDiskBytes: number;
}

export interface FileContent {
  path: string;
  bytes: number;
  truncated: boolean;
  content: string;
}

// A walk stops here so a huge folder cannot stall the agent.
const MAX_ENTRIES = 10_000;
const MAX_MATCHES = 200;
const ARCHIVE_DIR = 'archive';
const TMP_DIR = 'tmp';

/** The storage folder's operations. Every user-supplied name goes through `resolveInside` first. */
export class StorageFolder {
  constructor(
    readonly root: string,
    private readonly quotaBytes: number,
  ) {}

  async status(): Promise<StorageStatus> {
    const files = await this.list();
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const disk = await fs.statfs(this.root);
    return {
      folder: this.root,
      files: files.length,
      bytes,
      quotaBytes: this.quotaBytes,
      usagePercent: Math.round((bytes / this.quotaBytes) * 1000) / 10,
      freeDiskBytes: disk.bavail * disk.bsize,
      totalDiskBytes: disk.blocks * disk.bsize,
    };
  }

  /** Regular files only; symlinks are listed neither as files nor followed, so nothing outside leaks in. */
  async list(): Promise<FileEntry[]> {
    const entries: FileEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const dirent of await fs.readdir(dir, { withFileTypes: true })) {
        if (entries.length >= MAX_ENTRIES) return;
        const full = path.join(dir, dirent.name);
        if (dirent.isDirectory()) await walk(full);
        else if (dirent.isFile()) {
          const stat = await fs.stat(full);
          entries.push({ path: this.relative(full), bytes: stat.size, modifiedAt: stat.mtime.toISOString() });
        }
      }
    };
    await walk(this.root);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async read(name: string, maxBytes: number): Promise<FileContent> {
    const file = await resolveInside(this.root, name);
    const stat = await statFile(file, name);
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const data = buffer.subarray(0, bytesRead);
      if (data.includes(0)) throw new Error(`"${name}" looks binary; only text files are served`);
      return {
        path: this.relative(file),
        bytes: stat.size,
        truncated: stat.size > maxBytes,
        content: data.toString('utf8'),
      };
    } finally {
      await handle.close();
    }
  }

  /** A glob with `*` or `?` (glob.ts; `**` across folders, `[abc]` inside one) or else a substring of the path. */
  async find(pattern: string): Promise<FileEntry[]> {
    const wanted = pattern.trim();
    if (!wanted) throw new Error('find needs a pattern, e.g. *.csv');
    const matches = isGlob(wanted)
      ? globMatcher(wanted)
      : (p: string) => p.toLowerCase().includes(wanted.toLowerCase());
    return (await this.list()).filter((f) => matches(f.path)).slice(0, MAX_MATCHES);
  }

  /** Deletes `*.tmp` files anywhere and every file under `tmp/`. */
  async cleanupTmp(): Promise<{ removed: string[]; freedBytes: number }> {
    const doomed = (await this.list()).filter((f) => f.path.endsWith('.tmp') || f.path.startsWith(`${TMP_DIR}/`));
    for (const file of doomed) await fs.rm(await resolveInside(this.root, file.path));
    return { removed: doomed.map((f) => f.path), freedBytes: doomed.reduce((sum, f) => sum + f.bytes, 0) };
  }

  /** Moves a file under `archive/`, keeping its relative path; never overwrites. */
  async archive(name: string): Promise<{ from: string; to: string }> {
    const source = await resolveInside(this.root, name);
    await statFile(source, name);
    const from = this.relative(source);
    if (from.startsWith(`${ARCHIVE_DIR}/`)) throw new Error(`"${from}" is already archived`);
    let to = `${ARCHIVE_DIR}/${from}`;
    for (let n = 2; await exists(path.join(this.root, to)); n++) to = `${ARCHIVE_DIR}/${from}.${n}`;
    const target = await resolveInside(this.root, to);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(source, target);
    return { from, to };
  }

  private relative(full: string): string {
    return path.relative(this.root, full).split(path.sep).join('/');
  }
}

export { PathRefusedError };

async function statFile(file: string, name: string) {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new Error(`no such file: "${name}"`);
  if (!stat.isFile()) throw new Error(`"${name}" is not a file`);
  return stat;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
