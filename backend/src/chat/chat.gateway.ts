import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { ChatService } from './chat.service';

/**
 * Thin: the socket's actor and untrusted payload go to ChatService, which validates (chat.payloads.ts), stores and
 * delivers; it validates there rather than here because MCP and the Butler send through it too.
 */
@WebSocketGateway()
export class ChatGateway {
  constructor(private readonly chat: ChatService) {}

  @SubscribeMessage('chat:send')
  send(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'chat:send', ack, async () => ({
      message: await this.chat.send(client.data.actor, body, { socketId: client.id }),
    }));
  }

  @SubscribeMessage('chat:chunk')
  chunk(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'chat:chunk', ack, async () => {
      await this.chat.relayChunk(client.data.actor, body);
      return {};
    });
  }

  @SubscribeMessage('chat:end')
  end(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'chat:end', ack, async () => {
      await this.chat.relayEnd(client.data.actor, body);
      return {};
    });
  }
}
