import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { transaction } from './transaction';

/** A real SQLite file, as the hub runs it: TypeORM's one better-sqlite3 connection. */
describe('transaction (SQLite)', () => {
  let dir: string;
  let ds: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'echo-tx-'));
    ds = await new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') }).initialize();
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insertTwo = (v: string) => async (em: import('typeorm').EntityManager) => {
    await em.query('INSERT INTO t (v) VALUES (?)', [v]);
    await new Promise((r) => setImmediate(r));
    await em.query('INSERT INTO t (v) VALUES (?)', [`${v}+`]);
    return v;
  };

  it('runs transactions started in the same tick one after another, each whole', async () => {
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((v) => transaction(ds, insertTwo(v))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const rows = (await ds.query('SELECT v FROM t ORDER BY id')) as { v: string }[];
    expect(rows.map((r) => r.v)).toEqual(['a', 'a+', 'b', 'b+', 'c', 'c+', 'd', 'd+']);
  });

  it('rolls back only the one that fails, and the next still runs', async () => {
    const failing = transaction(ds, async (em) => {
      await em.query('INSERT INTO t (v) VALUES (?)', ['lost']);
      throw new Error('boom');
    });
    const [bad, good] = await Promise.allSettled([failing, transaction(ds, insertTwo('kept'))]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: 'kept' });
    expect(((await ds.query('SELECT v FROM t ORDER BY id')) as { v: string }[]).map((r) => r.v)).toEqual([
      'kept',
      'kept+',
    ]);
  });
});
