import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { MIGRATIONS } from './migrations';

/** One place that turns configuration into TypeORM options; `synchronize` is never on. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false as const };
  if (config.db.driver === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: config.db.url!,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize: config.db.poolSize,
      // Dates come back as UTC Date objects; big ids as numbers (ours stay far below 2^53).
      dateStrings: false,
      supportBigNumbers: true,
      extra: { connectionLimit: config.db.poolSize, waitForConnections: true, queueLimit: 0 },
    };
  }
  mkdirSync(dirname(config.db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.db.path,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  };
}
