import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { CommandClaimPayload, CommandPendingPayload, CommandProgressPayload, CommandResultPayload } from '@echocenter/contracts';
import { PayloadReader } from '../gateway/payload-reader';
import { handleEvent, SocketException } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { CommandsService } from './commands.service';

const TEXT = { min: 0, max: 64 * 1024 };
// An agent process's own id (the SDKs use a UUID); the column holds 64.
const INSTANCE = { min: 8, max: 64 };

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

function parseClaim(body: unknown): CommandClaimPayload {
  const r = PayloadReader.of(body);
  const out = { commandId: r.int('commandId'), instance: r.str('instance', INSTANCE) };
  r.done();
  return out;
}

function parsePending(body: unknown): CommandPendingPayload {
  const r = PayloadReader.of(body);
  const out = { instance: r.str('instance', INSTANCE) };
  r.done();
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

  /** Taken on before it runs: once per command, whatever delivered it (docs/protocol.md, "Catching up"). */
  @SubscribeMessage('command:claim')
  claim(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:claim', ack, async () => {
      requireAgent(client);
      const p = parseClaim(body);
      return { run: await this.commands.claim(client.data.actor, p.commandId, p.instance) };
    });
  }

  /** What a reconnecting (or hinted) agent catches up on: commands sent to it that nobody else claimed. */
  @SubscribeMessage('command:pending')
  pending(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'command:pending', ack, async () => {
      requireAgent(client);
      return { commands: await this.commands.pending(client.data.actor, parsePending(body).instance) };
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
