import type { DataSource } from 'typeorm';

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
}

export interface SqliteHandle {
  inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  transaction<T>(fn: () => T): () => T;
}

/**
 * TypeORM's one better-sqlite3 connection, or null on MySQL. For the few per-message statements where
 * TypeORM's own work per query (query runner, broadcaster, several awaits) costs more than SQLite itself.
 */
export function sqliteHandle(dataSource: DataSource): SqliteHandle | null {
  if (dataSource.options.type !== 'better-sqlite3') return null;
  return (dataSource.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
}

/**
 * Resolves at a moment when no transaction is open on the connection. A TypeORM transaction stays open
 * across awaits (another request's work): a write made then would join it, and its commit (or rollback)
 * would be theirs. Write synchronously right after this resolves, and nothing can interleave.
 */
export async function outsideTransactions(db: SqliteHandle): Promise<void> {
  for (let spins = 0; db.inTransaction; spins++) {
    await new Promise<void>((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 2)));
  }
}

/** TypeORM's own text format for SQLite datetimes (UTC), so reads through TypeORM parse these rows like any other. */
export const sqliteTime = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');
