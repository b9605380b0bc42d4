import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SqlRunner } from './sql-runner';

/** A real SQLite file; the MySQL side runs in the e2e suites (presence, socket auth, turn ledger). */
describe('SqlRunner (SQLite)', () => {
  let dir: string;
  let ds: DataSource;
  let sql: SqlRunner;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'echo-sql-'));
    ds = await new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') }).initialize();
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, at DATETIME)');
    sql = new SqlRunner(ds);
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('affected counts the rows a statement changed, not the last insert id', async () => {
    expect(await sql.affected('INSERT INTO t (id, v) VALUES (?, ?), (?, ?)', [41, 'a', 42, 'b'])).toBe(2);
    expect(await sql.affected('UPDATE t SET v = ? WHERE id = ?', ['c', 42])).toBe(1);
    expect(await sql.affected('UPDATE t SET v = ? WHERE id = ?', ['c', 7])).toBe(0);
  });

  it('rows reads with placeholders, and time stores a Date as SQLite compares it', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await sql.affected('INSERT INTO t (id, v, at) VALUES (?, ?, ?)', [1, 'x', sql.time(at)]);
    expect(sql.time(at)).toBe('2026-01-02 03:04:05.678');
    expect(
      await sql.rows<{ v: string }>('SELECT v FROM t WHERE at < ?', [sql.time(new Date(at.getTime() + 1))]),
    ).toEqual([{ v: 'x' }]);
    expect(await sql.rows('SELECT v FROM t WHERE at < ?', [sql.time(at)])).toEqual([]);
  });
});
