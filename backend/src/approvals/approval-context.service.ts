import { Injectable } from '@nestjs/common';
import type { ApprovalContextDto, ChatMessageDto } from '@echocenter/contracts';
import type { AuthActor } from '../auth/auth-actor';
import { ButlerIdentity } from '../butler/butler-identity.service';
import { ChatService } from '../chat/chat.service';
import { ApprovalsService } from './approvals.service';

/** How many messages an approver sees beside a request: enough for the ask and the Butler's answer. */
export const CONTEXT_MESSAGES = 6;
// Read a little further back, so messages after the decision can be left out and still leave six.
const READ_BACK = 30;

/**
 * The last messages of the thread that led to an approval, for the approver's inbox. Read through the chat
 * history (the requester ↔ Butler pair of that thread), never from the table itself.
 */
@Injectable()
export class ApprovalContextService {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly chat: ChatService,
    private readonly butler: ButlerIdentity,
  ) {}

  async context(actor: AuthActor, id: number): Promise<ApprovalContextDto> {
    // The same access rule as GET /api/approvals/:id: 404 when missing, 403 unless admin or requester.
    const approval = await this.approvals.get(actor, id);
    if (approval.conversationId === null) return { approvalId: id, messages: [] };
    // History is read as the requester (only the id counts): rows of their thread with the Butler, no one else's.
    const requester: AuthActor = { id: approval.requestedBy, name: '', kind: 'MEMBER' };
    const page = await this.chat.history(requester, await this.butler.butlerId(), {
      conversationId: approval.conversationId,
      limit: READ_BACK,
    });
    // Up to the decision: what the thread said when it was decided (everything while it waits).
    const until = approval.decidedAt ?? null;
    const messages: ChatMessageDto[] = page.items
      .filter((m) => until === null || m.createdAt <= until)
      .slice(0, CONTEXT_MESSAGES)
      .reverse();
    return { approvalId: id, messages };
  }
}
