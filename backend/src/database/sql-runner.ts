import type { DataSource } from 'typeorm';
import { dbTime } from '../common/db-time';

/**
 * Fixed-text SQL with `?` placeholders, for the connection hot path. TypeORM 1.1's SQLite driver writes
 * numeric parameters into the SQL text, so every actor id becomes a new prepared statement (its cache
 * keeps 100 and leaves the rest to the GC): 19,000 agents connecting grew the native heap by ~110 MB.
 * The same text for every id reuses one statement. Every statement here is plain SQL both drivers run.
 */
export class SqlRunner {
  constructor(private readonly ds: DataSource) {}

  time(date: Date): Date | string {
    return dbTime(this.ds, date);
  }

  async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.ds.query(sql, params)) as T[];
  }

  /** Rows changed by an INSERT/UPDATE/DELETE (DataSource.query would return the insert id on SQLite). */
  async affected(sql: string, params: unknown[]): Promise<number> {
    const qr = this.ds.createQueryRunner();
    try {
      return (await qr.query(sql, params, true)).affected ?? 0;
    } finally {
      await qr.release();
    }
  }
}
