import { randomUUID } from 'node:crypto';
import type { ActorRef, ChatMessageDto } from '@echocenter/contracts';
import type { ChatService } from '../../chat/chat.service';
import type { ReplySink } from '../brain/brain';

// Pieces arriving within this window leave as one `chat:chunk`: invisible to a reader, and a model that
// streams token by token costs a handful of socket frames per second instead of hundreds.
const COALESCE_MS = 15;

/**
 * One streamed Butler reply: `chat:chunk`s as text arrives, then the one stored `chat:message` with the
 * same streamId and the thread id, then `chat:end`. A piece still waiting when the reply ends leaves with
 * the message, after the commit, so a reply that arrives at once costs one write.
 */
export class ReplyStream implements ReplySink {
  readonly streamId = randomUUID();
  private text = '';
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly chat: ChatService,
    private readonly butler: ActorRef,
    private readonly targetId: number,
    private readonly conversationId: number,
    private readonly maxChars: number,
    /** The operator message this reply answers, stored with it (turn recovery finds answered ones by it). */
    private readonly replyTo: number | null = null,
  ) {}

  write(piece: string): void {
    if (!piece) return;
    this.text += piece;
    this.pending += piece;
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  /** A line of its own (a command's progress): part of the reply, so the chunks always add up to it. */
  line(text: string): void {
    this.write(`${this.text && !this.text.endsWith('\n') ? '\n' : ''}${text}\n`);
  }

  /** Stores the reply; its last unsent piece goes out with the stored message and the end (ChatService.finishStream). */
  async finish(): Promise<ChatMessageDto> {
    this.stopTimer();
    const last = this.pending;
    this.pending = '';
    const full = this.text.trim() || '(no answer)';
    const text = full.length > this.maxChars ? `${full.slice(0, this.maxChars - 20)}\n… (cut short)` : full;
    return this.chat.finishStream(
      this.butler,
      { targetId: this.targetId, streamId: this.streamId, conversationId: this.conversationId, text },
      last,
      this.replyTo,
    );
  }

  /** Ends the stream without storing it: another node has taken the turn over and answers instead. */
  async abandon(): Promise<void> {
    this.stopTimer();
    this.pending = '';
    await this.chat
      .relayEnd(this.butler, { targetId: this.targetId, streamId: this.streamId, conversationId: this.conversationId })
      .catch(() => undefined);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.stopTimer();
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    void this.chat
      .relayChunk(this.butler, {
        targetId: this.targetId,
        streamId: this.streamId,
        text,
        conversationId: this.conversationId,
      })
      .catch(() => undefined);
  }
}
