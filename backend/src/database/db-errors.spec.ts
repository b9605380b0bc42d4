import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type QueryRunner } from 'typeorm';
import { isUniqueViolation, retryTransient } from './db-errors';

/**
 * Real driver errors, as the services meet them: SQLite always, MySQL/MariaDB too when MYSQL_URL is set
 * (e.g. mysql://root@127.0.0.1:3306). Two connections to one database: one holds a lock, the other runs into it.
 */
interface Db {
  name: 'SQLite' | 'MySQL';
  connect(): Promise<DataSource>;
  drop(): Promise<void>;
}

function sqlite(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'echo-dberr-'));
  return {
    name: 'SQLite',
    // No busy wait: a locked database answers SQLITE_BUSY at once, as it does once busy_timeout runs out.
    connect: () =>
      new DataSource({
        type: 'better-sqlite3',
        database: join(dir, 'db.sqlite'),
        prepareDatabase: (db: { pragma: (s: string) => unknown }) => void db.pragma('busy_timeout = 0'),
      }).initialize(),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function mysql(base: string): Db {
  const name = `echo_dberr_${process.pid}`;
  const admin = async (sql: string) => {
    const ds = await new DataSource({ type: 'mysql', url: base }).initialize();
    await ds.query(sql).finally(() => ds.destroy());
  };
  let created = false;
  return {
    name: 'MySQL',
    connect: async () => {
      if (!created) await admin(`CREATE DATABASE IF NOT EXISTS ${name}`);
      created = true;
      return new DataSource({ type: 'mysql', url: `${base}/${name}`, poolSize: 2 }).initialize();
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name}`),
  };
}

const targets: [string, () => Db][] = [['SQLite', sqlite]];
if (process.env.MYSQL_URL) targets.push(['MySQL', () => mysql(process.env.MYSQL_URL!.replace(/\/$/, ''))]);

describe.each(targets)('database errors on %s', (_name, make) => {
  let db: Db;
  let ds: DataSource;
  let other: DataSource;

  beforeEach(async () => {
    db = make();
    ds = await db.connect();
    await ds.query('CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(32) NOT NULL UNIQUE, n INTEGER NOT NULL)');
    await ds.query("INSERT INTO t (id, name, n) VALUES (1, 'a', 0)");
    other = await db.connect();
  });
  afterEach(async () => {
    await other.destroy();
    await ds.destroy();
    await db.drop();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: unknown) => err,
    );

  it('isUniqueViolation: a duplicate unique value or primary key, and nothing else', async () => {
    expect(isUniqueViolation(await failure(ds.query("INSERT INTO t (id, name, n) VALUES (2, 'a', 0)")))).toBe(true);
    expect(isUniqueViolation(await failure(ds.query("INSERT INTO t (id, name, n) VALUES (1, 'b', 0)")))).toBe(true);
    expect(isUniqueViolation(await failure(ds.query("INSERT INTO t (id, name) VALUES (3, 'c')")))).toBe(false);
    expect(isUniqueViolation(await failure(ds.query('SELECT nope FROM t')))).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  describe('retryTransient', () => {
    let holder: QueryRunner;
    beforeEach(async () => {
      holder = other.createQueryRunner();
      await holder.query(db.name === 'SQLite' ? 'BEGIN IMMEDIATE' : 'START TRANSACTION');
      await holder.query('UPDATE t SET n = 1 WHERE id = 1');
    });
    afterEach(async () => {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.release();
    });

    // SQLite: no second writer while the holder has the write lock. MySQL: the holder's row lock outlasts a 1 s wait.
    const blockedUpdate = async (): Promise<void> => {
      const qr = ds.createQueryRunner();
      try {
        if (db.name === 'MySQL') await qr.query('SET SESSION innodb_lock_wait_timeout = 1');
        await qr.query('UPDATE t SET n = 2 WHERE id = 1');
      } finally {
        await qr.release();
      }
    };

    it('runs the statement again once the lock that made it fail is gone', async () => {
      let tries = 0;
      await retryTransient(async () => {
        tries++;
        try {
          await blockedUpdate();
        } catch (err) {
          if (tries === 1) await holder.query('COMMIT');
          throw err;
        }
      });
      expect(tries).toBe(2);
      expect(await ds.query('SELECT n FROM t WHERE id = 1')).toEqual([{ n: 2 }]);
    }, 15000);

    it('gives up after its attempts with the driver error', async () => {
      let tries = 0;
      const busy = await failure(retryTransient(() => (tries++, blockedUpdate()), 2));
      expect(tries).toBe(2);
      expect(busy).toBeInstanceOf(Error);
    }, 15000);
  });

  it('retryTransient never runs again a statement that failed for good', async () => {
    let tries = 0;
    const duplicate = await failure(
      retryTransient(() => (tries++, ds.query("INSERT INTO t (id, name, n) VALUES (5, 'a', 0)"))),
    );
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(tries).toBe(1);
  });
});
