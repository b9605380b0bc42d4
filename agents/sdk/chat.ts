import { randomUUID } from 'node:crypto';
import type { ChatChunkPayload, ChatEndPayload, ChatMessageDto, ChatSendPayload } from '@echocenter/contracts';
import { errorMessage } from './errors';
import { LIMITS, truncate } from './text';

/** What a chat handler is given besides the message text. */
export interface ChatContext {
  /** The stored message as the hub delivered it (sender, ids, time). */
  message: ChatMessageDto;
  /** Streams a piece of the reply live (`chat:chunk`); the pieces form the reply unless a string is returned. */
  stream(text: string): void;
}

/** Return the reply text, or stream it with `ctx.stream` and return nothing. */
export type ChatHandler = (text: string, ctx: ChatContext) => string | void | Promise<string | void>;

export interface ChatSink {
  chunk(payload: ChatChunkPayload): void;
  /** Delivered at least once, acked; the SDK sets a `localId` so the hub stores a retried send once. */
  send(payload: ChatSendPayload): void;
  /** Queued behind the `send` it closes. */
  end(payload: ChatEndPayload): void;
}

// Humans, and the Butler asking a question for one (its ask_agent tool). The Butler never answers an
// agent's message with a turn, so answering it cannot start a loop.
const ANSWERED_KINDS = new Set(['ADMIN', 'MEMBER', 'BUTLER']);
// Message ids remembered as answered: the hub pushes a message again when its sender resends it.
const REMEMBERED_IDS = 1000;

/**
 * Answers direct messages from humans and the Butler: chunks, then one stored message with the full text
 * (naming the message it answers in `replyTo`), then end.
 */
export class ChatResponder {
  private handler: ChatHandler | undefined;
  private readonly answered = new Set<number>();

  constructor(private readonly sink: ChatSink) {}

  setHandler(handler: ChatHandler): void {
    this.handler = handler;
  }

  async handle(message: ChatMessageDto): Promise<void> {
    // Never another agent: two agents answering each other would loop forever.
    if (!this.handler || !ANSWERED_KINDS.has(message.senderKind) || this.seen(message.id)) return;
    const targetId = message.senderId;
    const streamId = randomUUID();
    let streamed = '';
    const ctx: ChatContext = {
      message,
      stream: (text) => {
        if (!text) return;
        streamed += text;
        this.sink.chunk({ targetId, streamId, text: truncate(text, LIMITS.textChars) });
      },
    };

    let reply: string;
    try {
      const output = await this.handler(message.text, ctx);
      reply = typeof output === 'string' ? output : streamed;
    } catch (err) {
      reply = `${streamed ? `${streamed}\n\n` : ''}Sorry, that failed: ${errorMessage(err)}`;
    }
    const text = truncate(reply, LIMITS.textChars);
    if (!streamed) {
      if (text) this.sink.send({ targetId, text, localId: randomUUID(), replyTo: message.id });
      return;
    }
    this.sink.send({ targetId, text, streamId, localId: streamId, replyTo: message.id });
    this.sink.end({ targetId, streamId });
  }

  /** True for an id answered before; remembers the newest REMEMBERED_IDS. */
  private seen(id: number): boolean {
    if (this.answered.has(id)) return true;
    this.answered.add(id);
    if (this.answered.size > REMEMBERED_IDS) this.answered.delete(this.answered.values().next().value!);
    return false;
  }
}
