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
