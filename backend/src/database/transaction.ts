import type { DataSource, EntityManager } from 'typeorm';

const chains = new WeakMap<DataSource, Promise<unknown>>();

/**
 * `dataSource.transaction`, one at a time on SQLite. TypeORM shares one query runner over SQLite's one
 * connection: two transactions started in the same tick both send BEGIN, and the second fails with
 * "cannot start a transaction within a transaction" (a 500 for an ordinary request). MySQL's pool gives
 * each its own connection, so there they run side by side. Never call it from inside `work`.
 */
export function transaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (ds.options.type !== 'better-sqlite3') return ds.transaction(work);
  const run = (chains.get(ds) ?? Promise.resolve()).then(() => ds.transaction(work));
  chains.set(
    ds,
    run.catch(() => undefined),
  );
  return run;
}
