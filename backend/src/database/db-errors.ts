/** The error code of mysql2 or better-sqlite3, bare or wrapped in TypeORM's QueryFailedError. */
function driverCode(err: unknown): string | undefined {
  const e = err as { code?: string; driverError?: { code?: string } } | null | undefined;
  return e?.driverError?.code ?? e?.code;
}

/** A duplicate unique value or primary key: the row is already there (a race lost, a name taken). */
export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const TRANSIENT = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

function isTransient(err: unknown): boolean {
  return TRANSIENT.has(driverCode(err) ?? '');
}

/**
 * Re-runs a conditional update that lost a lock race (MySQL deadlock, SQLite busy). Safe because every
 * caller's statement is guarded by the row's current status: a retry can only do what the first try would.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * i + Math.random() * 20));
    }
  }
}
