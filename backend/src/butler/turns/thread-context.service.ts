import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import type { Brain, BrainMessage } from '../brain/brain';
import { ButlerIdentity } from '../butler-identity.service';
import type { Conversation } from '../conversations/conversation.entity';
import { ConversationsService } from '../conversations/conversations.service';
import { ThreadMessages } from '../../chat/thread-store/thread-messages';
import { SettingsService } from '../../settings/settings.service';
import type { TurnUsage } from '../usage/turn-usage';

interface ContextMessage extends BrainMessage {
  id: number;
}

// Messages read for one turn at most; older ones must live in the summary.
const READ_CAP = 200;
/** Context is measured in characters (BUTLER_COMPACTION_THRESHOLD): model-agnostic and cheap. */
export const chars = (text: string) => text.length;

/**
 * A thread's model context: its stored summary plus the messages after it. Compaction folds all but the
 * recent window into a new summary once the context passes BUTLER_COMPACTION_THRESHOLD (characters).
 */
@Injectable()
export class ThreadContextService {
  private readonly logger = new Logger('ThreadContext');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly messages: ThreadMessages,
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
   * The messages after the summary, only the owner's talk with the Butler (chat's ThreadMessages.recent:
   * the hottest read of a turn, a prepared statement on SQLite).
   */
  private async read(c: Conversation): Promise<ContextMessage[]> {
    const butlerId = await this.identity.butlerId();
    const lines = await this.messages.recent({
      conversationId: c.id,
      afterId: c.summaryUpto ?? 0,
      ownerId: c.ownerId,
      butlerId,
      cap: READ_CAP,
    });
    return lines.map((m) => ({ id: m.id, role: m.senderKind === 'BUTLER' ? 'assistant' : 'user', content: m.text }));
  }
}
