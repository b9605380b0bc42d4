import { randomUUID } from 'node:crypto';
import type { ActorRef, ChatMessageDto } from '@echocenter/contracts';
import type { AuthActor } from '../../auth/auth-actor';
import type { ChatService } from '../../chat/chat.service';
import type { ReplySink } from '../brain/brain';

/**
 * One streamed Butler reply: `chat:chunk`s as text arrives, then the one stored `chat:message` with the
 * same streamId and the thread id, then `chat:end`.
 */
export class ReplyStream implements ReplySink {
  readonly streamId = randomUUID();
  private text = '';

  constructor(
    private readonly chat: ChatService,
    private readonly butler: ActorRef,
    private readonly targetId: number,
    private readonly conversationId: number,
    private readonly maxChars: number,
  ) {}

  get written(): string {
    return this.text;
  }

  write(piece: string): void {
    if (!piece) return;
    this.text += piece;
    void this.chat
      .relayChunk(this.sender, { targetId: this.targetId, streamId: this.streamId, text: piece, conversationId: this.conversationId })
      .catch(() => undefined);
  }

  async finish(): Promise<ChatMessageDto> {
    const full = this.text.trim() || '(no answer)';
    const text = full.length > this.maxChars ? `${full.slice(0, this.maxChars - 20)}\n… (cut short)` : full;
    try {
      return await this.chat.send(this.sender, { targetId: this.targetId, text, streamId: this.streamId, conversationId: this.conversationId });
    } finally {
      await this.chat.relayEnd(this.sender, { targetId: this.targetId, streamId: this.streamId, conversationId: this.conversationId }).catch(() => undefined);
    }
  }

  private get sender(): AuthActor {
    return this.butler;
  }
}
