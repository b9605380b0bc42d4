import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { ApprovalDecisions } from './approval-decisions.service';
import { parseApprovalRespond } from './approvals.payloads';

/** `approval:respond`: the socket twin of POST /api/approvals/:id/decision. */
@WebSocketGateway()
export class ApprovalsGateway {
  constructor(private readonly decisions: ApprovalDecisions) {}

  @SubscribeMessage('approval:respond')
  respond(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'approval:respond', ack, async () => {
      // Who may decide this one (admin, or the requester where settings allow) is checked by ApprovalDecisions.
      requireKinds(client.data.actor, 'ADMIN', 'MEMBER');
      const { id, ...decision } = parseApprovalRespond(body);
      return { approval: await this.decisions.decide(client.data.actor, id, decision, 'SOCKET') };
    });
  }
}
