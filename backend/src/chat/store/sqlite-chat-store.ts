import type { DataSource, Repository } from 'typeorm';
import type { ChatMessage } from '../chat-message.entity';
import {
  outsideTransactions,
  sqliteHandle,
  sqliteTime,
  type SqliteHandle,
  type SqliteStatement,
} from '../../database/sqlite-handle';
import {
  InsertCounter,
  insertSql,
  rowValues,
  type ChatStore,
  type InsertStats,
  type NewChatMessage,
} from './chat-store';

const isUnique = (err: unknown) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * Writes on TypeORM's one better-sqlite3 connection, synchronously: one transaction per batch with one
 * prepared single-row INSERT per message (microseconds each in-process; a failed row does not abort the
 * transaction, so a duplicate localId costs only its own row). A TypeORM transaction may be open on that
 * connection across awaits (another request's work); writing into it would tie our commit to theirs, so
 * we wait for a moment where none is open, then write in one step nothing can interleave with.
 */
export class SqliteChatStore implements ChatStore {
  private readonly db: SqliteHandle;
  private insert: SqliteStatement | null = null;
  private readonly counter = new InsertCounter();

  constructor(
    dataSource: DataSource,
    private readonly repo: Repository<ChatMessage>,
  ) {
    this.db = sqliteHandle(dataSource)!;
  }

  async insertMany(rows: NewChatMessage[]): Promise<(number | 'duplicate')[]> {
    await outsideTransactions(this.db);
    const insert = (this.insert ??= this.db.prepare(insertSql(1)));
    const ids = this.db.transaction(() =>
      rows.map((m) => {
        try {
          return Number(insert.run(...rowValues(m, sqliteTime(m.createdAt))).lastInsertRowid);
        } catch (err) {
          if (isUnique(err)) return 'duplicate' as const;
          throw err;
        }
      }),
    )();
    this.counter.count('row-by-row', rows.length);
    return ids;
  }

  /** Always row by row: one prepared single-row INSERT per message, in-process. */
  stats(): InsertStats {
    return this.counter.stats('row-by-row');
  }

  findByLocalId(senderId: number, localId: string): Promise<ChatMessage | null> {
    return this.repo.findOneBy({ senderId, localId });
  }
}
