import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** Which database the e2e run targets: E2E_DB=mysql (with MYSQL_URL) or the default SQLite file. */
export const E2E_DRIVER: 'sqlite' | 'mysql' = process.env.E2E_DB === 'mysql' ? 'mysql' : 'sqlite';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh MySQL database per suite, created and dropped here; SQLite lives in the suite's data dir.
 * `mysqlUrl` names the server (e.g. a private one a suite started) whatever E2E_DB says.
 */
export async function createTestDatabase(opts: { mysqlUrl?: string } = {}): Promise<TestDatabase> {
  if (E2E_DRIVER === 'sqlite' && !opts.mysqlUrl) return { env: { DB_DRIVER: 'sqlite' }, drop: async () => undefined };
  const base = opts.mysqlUrl ?? process.env.MYSQL_URL;
  if (!base) throw new Error('E2E_DB=mysql needs MYSQL_URL, e.g. mysql://root@127.0.0.1:3306');
  const name = `ec_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection(base);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DB_DRIVER: 'mysql', DATABASE_URL: url.toString() },
    drop: async () => {
      const c = await createConnection(base);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
