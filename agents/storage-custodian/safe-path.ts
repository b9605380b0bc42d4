import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A requested path that could reach outside the storage folder. */
export class PathRefusedError extends Error {
  override name = 'PathRefusedError';
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel));
}

/**
 * Resolves a user-supplied name to a real path inside `root`. Refused: empty names, NUL bytes, absolute
 * paths, any `..` segment, and anything whose real location (after symlinks) is outside the folder.
 * The target need not exist (e.g. an archive destination); its nearest existing ancestor is checked.
 */
export async function resolveInside(root: string, name: string): Promise<string> {
  const requested = name.trim();
  if (!requested) throw new PathRefusedError('a file name is required');
  if (requested.includes('\0')) throw new PathRefusedError('NUL bytes in a path are refused');
  if (path.isAbsolute(requested) || /^[a-zA-Z]:/.test(requested) || requested.startsWith('\\')) {
    throw new PathRefusedError(`absolute paths are refused: "${requested}"`);
  }
  // Refused outright even when the result would land inside: a ".." in a request is a probe, not a need.
  if (requested.split(/[\\/]+/).includes('..')) {
    throw new PathRefusedError(`".." is refused: "${requested}" is outside the storage folder`);
  }
  const realRoot = await fs.realpath(root);
  const candidate = path.resolve(realRoot, requested);
  const real = await realpathOfNearestExisting(candidate);
  if (!isInside(realRoot, candidate) || !isInside(realRoot, real)) {
    throw new PathRefusedError(`"${requested}" is outside the storage folder`);
  }
  return real;
}

async function realpathOfNearestExisting(target: string): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(current);
      if (parent === current) throw err;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
