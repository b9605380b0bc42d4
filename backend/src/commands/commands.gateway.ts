import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { parseCommandProgress, parseCommandResult } from './commands.payloads';
import { CommandsService } from './commands.service';

/** Agents answer `command:run` here; correlation is by commandId only, whichever node sent the command. */
@WebSocketGateway()
export class CommandsGateway {
  constructor(private readonly commands: CommandsService) {}

  @SubscribeMessage('command:progress')
  progress(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:progress', ack, async () => {
      requireKinds(client.data.actor, 'AGENT');
      await this.commands.progress(client.data.actor, parseCommandProgress(body));
      return {};
    });
  }

  @SubscribeMessage('command:result')
  result(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:result', ack, async () => {
      requireKinds(client.data.actor, 'AGENT');
      await this.commands.result(client.data.actor, parseCommandResult(body));
      return {};
    });
  }
}
