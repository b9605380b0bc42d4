import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { RealtimeService } from '../gateway/realtime.service';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import type { EchoSocket } from '../gateway/socket-types';
import { parseAgentCard } from './agent-card.payloads';
import { AgentsService } from './agents.service';

/** `agent:hello`: an agent publishes its card; consoles get it as the hub rules it. */
@WebSocketGateway()
export class AgentsGateway {
  constructor(
    private readonly agents: AgentsService,
    private readonly realtime: RealtimeService,
  ) {}

  @SubscribeMessage('agent:hello')
  hello(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'agent:hello', ack, async () => {
      const actor = client.data.actor;
      requireKinds(actor, 'AGENT');
      const card = parseAgentCard(body);
      // Consoles get the card as the hub rules it (effective policies), not as the agent claims it.
      const commands = await this.agents.saveCard(actor, card);
      this.realtime.toHumans('agent:card', { agentId: actor.id, ...card, commands });
      // The agent learns how the hub rules its commands (its direct chat runs only READ_ONLY ones).
      return { commands };
    });
  }
}
