import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { DomainEventBus } from '../events/domain-event-bus';
import { RealtimeService } from '../gateway/realtime.service';
import { requireKinds } from '../gateway/require-kinds';
import { handleEvent } from '../gateway/socket-errors';
import { agentReadyRoom, type EchoSocket } from '../gateway/socket-types';
import { parseAgentCard } from './agent-card.payloads';
import { AgentsService } from './agents.service';

/** `agent:hello`: an agent publishes its card; consoles get it as the hub rules it. */
@WebSocketGateway()
export class AgentsGateway {
  constructor(
    private readonly agents: AgentsService,
    private readonly realtime: RealtimeService,
    private readonly events: DomainEventBus,
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
      // Only now is the card it runs with known (and any changed confirmation reset): commands that waited
      // for it are checked against that and sent (CommandsService.startQueued), never on the bare connect.
      await client.join(agentReadyRoom(actor.id));
      this.events.emit('agents.ready', { agentId: actor.id });
      // The agent learns how the hub rules its commands (its direct chat runs only READ_ONLY ones).
      return { commands };
    });
  }
}
