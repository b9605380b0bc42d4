import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { CommandClaims } from './command-claims.service';
import { parseCommandClaim, parseCommandPending, parseCommandProgress, parseCommandResult } from './commands.payloads';
import { CommandsService } from './commands.service';

/** Agents answer `command:run` here; correlation is by commandId only, whichever node sent the command. */
@WebSocketGateway()
export class CommandsGateway {
  constructor(
    private readonly commands: CommandsService,
    private readonly claims: CommandClaims,
  ) {}

  @SubscribeMessage('command:progress')
  progress(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:progress', ack, async () => {
      requireKinds(client.data.actor, 'AGENT');
      await this.commands.progress(client.data.actor, parseCommandProgress(body));
      return {};
    });
  }

  /** Taken on before it runs: once per command, whatever delivered it (docs/protocol.md, "Catching up"). */
  @SubscribeMessage('command:claim')
  claim(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:claim', ack, async () => {
      requireKinds(client.data.actor, 'AGENT');
      const p = parseCommandClaim(body);
      return { run: await this.claims.claim(client.data.actor, p.commandId, p.instance) };
    });
  }

  /** What a reconnecting (or hinted) agent catches up on: commands sent to it that nobody else claimed. */
  @SubscribeMessage('command:pending')
  pending(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:pending', ack, async () => {
      requireKinds(client.data.actor, 'AGENT');
      return { commands: await this.claims.pending(client.data.actor, parseCommandPending(body).instance) };
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
