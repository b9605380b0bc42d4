import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import type { Brain, BrainMessage } from '../brain/brain';
import { ButlerIdentity } from '../butler-identity.service';
import type { Conversation } from '../conversations/conversation.entity';
import { ConversationsService } from '../conversations/conversations.service';
import { sqliteHandle, type SqliteStatement } from '../../database/sqlite-handle';
import { SettingsService } from '../../settings/settings.service';
import type { TurnUsage } from '../usage/turn-usage';

interface ContextMessage extends BrainMessage {
  id: number;
}

// Messages read for one turn at most; older ones must live in the summary.
const READ_CAP = 200;
// Only the owner's talk with the Butler, both ways: a row anyone else managed to file under the thread (a hub
// before the check in ChatService.send, a bug) must never read as the owner's words. Same index range scan.
const RECENT_SQL =
  'SELECT id, sender_kind, text FROM chat_messages WHERE conversation_id = ? AND id > ? ' +
  'AND ((sender_id = ? AND target_id = ?) OR (sender_id = ? AND target_id = ?)) ORDER BY id DESC LIMIT ?';
/** Context is measured in characters (BUTLER_COMPACTION_THRESHOLD): model-agnostic and cheap. */
export const chars = (text: string) => text.length;

/**
 * A thread's model context: its stored summary plus the messages after it. Compaction folds all but the
 * recent window into a new summary once the context passes BUTLER_COMPACTION_THRESHOLD (characters).
 */
@Injectable()
export class ThreadContextService {
  private readonly logger = new Logger('ThreadContext');
  private readonly sqlite = sqliteHandle(this.dataSource);
  private recent: SqliteStatement | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly dataSource: DataSource,
    private readonly conversations: ConversationsService,
    private readonly identity: ButlerIdentity,
  ) {}

  /**
   * `message`: the operator message this turn answers, read for while it still commits; null when it did
   * not commit, and then so is the result. Operator messages queued after it are left out, so each turn
   * of a busy thread answers its own message.
   */
  async load(
    c: Conversation,
    message?: Promise<{ id: number; text: string } | null>,
  ): Promise<{ summary: string | null; history: BrainMessage[]; size: number; messageId?: number } | null> {
    const [read, own] = await Promise.all([this.read(c), message]);
    if (message && !own) return null;
    const all = read.filter((m) => !own || m.role === 'assistant' || m.id < own.id);
    // The read may have run before the message committed, and replies to earlier queued turns may be
    // newer than it: the message is added here, last.
    if (own) all.push({ id: own.id, role: 'user', content: own.text });
    const size = chars(c.summary ?? '') + all.reduce((n, m) => n + chars(m.content), 0);
    // Even when compaction keeps failing, the model is never handed more than twice the threshold.
    const budget = this.settings.butler().compactionThreshold * 2 - chars(c.summary ?? '');
    const history: BrainMessage[] = [];
    let used = 0;
    for (let i = all.length - 1; i >= 0; i--) {
      used += chars(all[i].content);
      if (used > budget && history.length) break;
      history.unshift({ role: all[i].role, content: all[i].content });
    }
    return { summary: c.summary, history, size, messageId: own?.id };
  }

  /**
   * Never throws: a failed compaction only means the next turn carries a longer context. `estimate` (the
   * size seen by the turn plus its reply) spares the re-read on the common path, far below the threshold.
   */
  async compactIfNeeded(c: Conversation, brain: Brain, estimate?: number, usage?: TurnUsage): Promise<boolean> {
    if (estimate !== undefined && estimate <= this.settings.butler().compactionThreshold) return false;
    try {
      const all = await this.read(c);
      const size = chars(c.summary ?? '') + all.reduce((n, m) => n + chars(m.content), 0);
      const keep = this.config.butler.recentMessages;
      if (size <= this.settings.butler().compactionThreshold || all.length <= keep) return false;
      const fold = all.slice(0, all.length - keep);
      const summary = await brain.summarize(c.summary, fold, usage);
      const upto = fold[fold.length - 1].id;
      await this.conversations.saveSummary(c.id, summary, upto);
      c.summary = summary;
      c.summaryUpto = upto;
      return true;
    } catch (err) {
      this.logger.warn(`compaction of thread ${c.id} failed: ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * The hottest read of a turn, so plain SQL: no query building or entity hydration per turn; on SQLite
   * one prepared statement on the connection itself, as it runs before every model request.
   */
  private async read(c: Conversation): Promise<ContextMessage[]> {
    const butler = await this.identity.butlerId();
    const params = [c.id, c.summaryUpto ?? 0, c.ownerId, butler, butler, c.ownerId, READ_CAP];
    const rows = (
      this.sqlite
        ? (this.recent ??= this.sqlite.prepare(RECENT_SQL)).all(...params)
        : await this.dataSource.query(RECENT_SQL, params)
    ) as {
      id: number | string;
      sender_kind: string;
      text: string;
    }[];
    return rows
      .reverse()
      .map((m) => ({ id: Number(m.id), role: m.sender_kind === 'BUTLER' ? 'assistant' : 'user', content: m.text }));
  }
}
