import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ActorsService } from '../actors/actors.service';
import { isHuman } from '../auth/auth-actor';
import { currentHuman } from '../auth/current-human';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { parseLogReport } from './logs.payloads';
import { LogsService } from './logs.service';

/** `log:report`: agents (and admins) report logs; humans get them as `log:new`. */
@WebSocketGateway()
export class LogsGateway {
  constructor(
    private readonly logs: LogsService,
    private readonly actors: ActorsService,
  ) {}

  @SubscribeMessage('log:report')
  report(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'log:report', ack, async () => {
      // A human may report only while still an admin: the role as it is now, not as the handshake saw it.
      const actor = isHuman(client.data.actor) ? await currentHuman(this.actors, client.data.actor) : client.data.actor;
      requireKinds(actor, 'AGENT', 'ADMIN');
      const { level, content, localId } = parseLogReport(body);
      // LogsService checks the configured content cap, stores, and emits 'logs.created' (→ `log:new`).
      return { log: await this.logs.create(actor, level, content, localId) };
    });
  }
}
