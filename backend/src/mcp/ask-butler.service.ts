import { Injectable } from '@nestjs/common';
import type { AuthActor } from '../auth/auth-actor';
import { ButlerIdentity } from '../butler/butler-identity.service';
import { ConversationsService } from '../butler/conversations/conversations.service';
import { ChatService } from '../chat/chat.service';

const POLL_MS = 200;

export interface ButlerAnswer {
  conversationId: number;
  messageId: number;
  /** Null when the Butler had not answered within the wait: the answer lands in the thread later. */
  answer: string | null;
}

/**
 * A Butler turn for an MCP client: the question is sent exactly as the console sends it (a chat message to
 * the Butler in one of the caller's threads), so the turn runs the Butler's own loop, tools, policy and
 * approvals; the answer is the stored reply that names the question.
 */
@Injectable()
export class AskButlerService {
  constructor(
    private readonly chat: ChatService,
    private readonly conversations: ConversationsService,
    private readonly butler: ButlerIdentity,
  ) {}

  async ask(
    caller: AuthActor,
    text: string,
    conversationId: number | undefined,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<ButlerAnswer> {
    // Someone else's thread is "not found", as in the console.
    const thread =
      conversationId === undefined
        ? await this.conversations.create(caller)
        : await this.conversations.owned(caller, conversationId);
    const question = await this.chat.send(caller, {
      targetId: await this.butler.butlerId(),
      text,
      conversationId: thread.id,
    });
    // The reply is stored once the whole turn is done (tools and commands included); the row is the truth on any node.
    const until = Date.now() + waitMs;
    while (Date.now() < until && !signal?.aborted) {
      const reply = await this.chat.replyTo(thread.id, question.id);
      if (reply) return { conversationId: thread.id, messageId: question.id, answer: reply.text };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return { conversationId: thread.id, messageId: question.id, answer: null };
  }
}
