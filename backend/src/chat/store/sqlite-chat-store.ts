import type { DataSource, Repository } from 'typeorm';
import type { ChatMessage } from '../chat-message.entity';
import { DuplicateLocalIdError, insertSql, rowValues, type ChatStore, type NewChatMessage } from './chat-store';

interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteHandle {
  inTransaction: boolean;
  prepare(sql: string): Statement;
}

/** TypeORM's own text format for SQLite datetimes (UTC), so history reads these rows like any other. */
const sqliteTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

const isUnique = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * Writes on TypeORM's one better-sqlite3 connection, synchronously. A TypeORM transaction may be open on
 * that connection across awaits (another request's work); writing into it would tie our commit to theirs,
 * so we wait for a moment where none is open, then write in one synchronous step nothing can interleave.
 * One multi-row INSERT is atomic, and SQLite has one writer, so its rowids are consecutive.
 */
export class SqliteChatStore implements ChatStore {
  private readonly db: SqliteHandle;
  private readonly statements = new Map<number, Statement>();

  constructor(dataSource: DataSource, private readonly repo: Repository<ChatMessage>) {
    this.db = (dataSource.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
  }

  async insertMany(rows: NewChatMessage[]): Promise<number[]> {
    await this.outsideTransactions();
    const params = rows.flatMap((m) => rowValues(m, sqliteTime(m.createdAt)));
    let last: number;
    try {
      last = Number(this.statement(rows.length).run(...params).lastInsertRowid);
    } catch (err) {
      if (isUnique(err)) throw new DuplicateLocalIdError();
      throw err;
    }
    return rows.map((_, i) => last - rows.length + 1 + i);
  }

  async insertOne(row: NewChatMessage): Promise<number | 'duplicate'> {
    await this.outsideTransactions();
    try {
      return Number(this.statement(1).run(...rowValues(row, sqliteTime(row.createdAt))).lastInsertRowid);
    } catch (err) {
      if (isUnique(err)) return 'duplicate';
      throw err;
    }
  }

  findByLocalId(senderId: number, localId: string): Promise<ChatMessage | null> {
    return this.repo.findOneBy({ senderId, localId });
  }

  private statement(rows: number): Statement {
    let stmt = this.statements.get(rows);
    if (!stmt) {
      stmt = this.db.prepare(insertSql(rows));
      if (this.statements.size < 64) this.statements.set(rows, stmt);
    }
    return stmt;
  }

  private async outsideTransactions(): Promise<void> {
    for (let spins = 0; this.db.inTransaction; spins++) {
      await new Promise<void>((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 2)));
    }
  }
}
