import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { ApprovalRespondPayload } from '@echocenter/contracts';
import { isHuman } from '../auth/auth-actor';
import { PayloadReader } from '../gateway/payload-reader';
import { handleEvent, SocketException } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { ApprovalDecisions } from './approval-decisions.service';

function parseRespond(body: unknown): ApprovalRespondPayload {
  const r = PayloadReader.of(body);
  const out: ApprovalRespondPayload = { id: r.int('id'), approved: r.bool('approved') };
  const command = r.optStr('command', { max: 2000 });
  const reason = r.optStr('reason', { min: 0, max: 1000 });
  const remember = r.has('remember') ? r.oneOf('remember', ['always'] as const) : undefined;
  r.done();
  if (command !== undefined) out.command = command;
  if (reason !== undefined) out.reason = reason;
  if (remember !== undefined) out.remember = remember;
  return out;
}

/** `approval:respond`: the socket twin of POST /api/approvals/:id/decision. */
@WebSocketGateway()
export class ApprovalsGateway {
  constructor(private readonly decisions: ApprovalDecisions) {}

  @SubscribeMessage('approval:respond')
  respond(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'approval:respond', ack, async () => {
      if (!isHuman(client.data.actor)) throw new SocketException('FORBIDDEN', 'Only humans decide on approvals');
      const { id, ...decision } = parseRespond(body);
      return { approval: await this.decisions.decide(client.data.actor, id, decision, 'SOCKET') };
    });
  }
}
