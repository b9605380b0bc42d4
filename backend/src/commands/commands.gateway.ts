import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { CommandProgressPayload, CommandResultPayload } from '@echocenter/contracts';
import { PayloadReader } from '../gateway/payload-reader';
import { handleEvent, SocketException } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { CommandsService } from './commands.service';

const TEXT = { min: 0, max: 64 * 1024 };

function requireAgent(client: EchoSocket): void {
  if (client.data.actor.kind !== 'AGENT') throw new SocketException('FORBIDDEN', 'Only agents report command progress and results');
}

function parseProgress(body: unknown): CommandProgressPayload {
  const r = PayloadReader.of(body);
  const out = { commandId: r.int('commandId'), text: r.str('text', TEXT) };
  r.done();
  return out;
}

function parseResult(body: unknown): CommandResultPayload {
  const r = PayloadReader.of(body);
  const out: CommandResultPayload = { commandId: r.int('commandId'), ok: r.bool('ok') };
  const result = r.optStr('result', TEXT);
  const error = r.optStr('error', TEXT);
  r.done();
  if (result !== undefined) out.result = result;
  if (error !== undefined) out.error = error;
  return out;
}

/** Agents answer `command:run` here; correlation is by commandId only, whichever node sent the command. */
@WebSocketGateway()
export class CommandsGateway {
  constructor(private readonly commands: CommandsService) {}

  @SubscribeMessage('command:progress')
  progress(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:progress', ack, async () => {
      requireAgent(client);
      await this.commands.progress(client.data.actor, parseProgress(body));
      return {};
    });
  }

  @SubscribeMessage('command:result')
  result(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:result', ack, async () => {
      requireAgent(client);
      await this.commands.result(client.data.actor, parseResult(body));
      return {};
    });
  }
}
