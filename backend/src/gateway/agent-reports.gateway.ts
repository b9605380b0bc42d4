import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { AgentCard, AgentCommandCard, LogDto } from '@echocenter/contracts';
import { DataSource } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { isHuman, type AuthActor } from '../auth/auth-actor';
import { currentHuman } from '../auth/current-human';
import { LOCAL_ID_RULE } from '../common/local-id';
import { LogsService } from '../logs/logs.service';
import { LOG_LEVELS } from '../logs/dto/log.dto';
import { PayloadReader } from './payload-reader';
import { handleEvent, SocketException } from './socket-errors';
import type { EchoSocket } from './socket-types';
import { RealtimeService } from './realtime.service';

const MAX_COMMANDS = 100;
// An argument schema is shown in the console and stored with the card: a few KB describe any real tool.
const MAX_SCHEMA_CHARS = 8000;

function requireKind(actor: AuthActor, ...kinds: AuthActor['kind'][]): void {
  if (!kinds.includes(actor.kind)) throw new SocketException('FORBIDDEN', `Only ${kinds.join(' or ').toLowerCase()}s may send this event`);
}

function parseCard(payload: unknown): AgentCard {
  const r = PayloadReader.of(payload);
  const description = r.optStr('description', { min: 0, max: 2000 });
  const version = r.optStr('version', { max: 64 });
  const list = r.raw('commands');
  const commands: AgentCommandCard[] = [];
  if (!Array.isArray(list)) r.fail('commands', 'must be an array');
  else if (list.length > MAX_COMMANDS) r.fail('commands', `must have at most ${MAX_COMMANDS} entries`);
  else {
    list.forEach((item: unknown, i) => {
      let c: PayloadReader;
      try {
        c = PayloadReader.of(item, `commands[${i}].`);
      } catch {
        return r.fail(`commands[${i}]`, 'must be an object');
      }
      const cmd: AgentCommandCard = { name: c.str('name', { max: 64, pattern: /^[A-Za-z0-9_.:-]+$/, patternMessage: 'must be letters, digits, _ . : -' }) };
      const description = c.optStr('description', { min: 0, max: 1000 });
      const args = c.optStr('args', { min: 0, max: 200 });
      const readOnly = c.optBool('readOnly');
      const destructive = c.optBool('destructive');
      const schema = c.raw('argsSchema');
      if (description !== undefined) cmd.description = description;
      if (args !== undefined) cmd.args = args;
      if (readOnly !== undefined) cmd.readOnly = readOnly;
      if (destructive !== undefined) cmd.destructive = destructive;
      if (schema !== undefined) {
        if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) c.fail('argsSchema', 'must be a JSON Schema object');
        else if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) c.fail('argsSchema', `must be at most ${MAX_SCHEMA_CHARS} characters as JSON`);
        else cmd.argsSchema = schema as Record<string, unknown>;
      }
      r.errors.push(...c.errors);
      commands.push(cmd);
    });
    const seen = new Set<string>();
    list.forEach((item: { name?: unknown } | null, i) => {
      const name = typeof item?.name === 'string' ? item.name : null;
      if (name !== null && seen.has(name)) r.fail(`commands[${i}].name`, 'is a duplicate');
      if (name !== null) seen.add(name);
    });
  }
  r.done();
  return { ...(description !== undefined && { description }), ...(version !== undefined && { version }), commands };
}

/** What agents report about themselves: logs (pushed to humans as `log:new`) and their card. */
@WebSocketGateway()
export class AgentReportsGateway {
  constructor(
    private readonly logs: LogsService,
    private readonly agents: AgentsService,
    private readonly realtime: RealtimeService,
    private readonly dataSource: DataSource,
  ) {}

  @SubscribeMessage('log:report')
  report(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'log:report', ack, async (): Promise<{ log: LogDto }> => {
      // A human may report only while still an admin: the role as it is now, not as the handshake saw it.
      const actor = isHuman(client.data.actor) ? await currentHuman(this.dataSource, client.data.actor) : client.data.actor;
      requireKind(actor, 'AGENT', 'ADMIN');
      const r = PayloadReader.of(body);
      const level = r.oneOf('level', LOG_LEVELS);
      const content = r.str('content', { max: 1024 * 1024 });
      const localId = r.optStr('localId', LOCAL_ID_RULE);
      r.done();
      // LogsService checks the configured content cap, stores, and emits 'logs.created' (→ `log:new`).
      return { log: await this.logs.create(actor, level, content, localId) };
    });
  }

  @SubscribeMessage('agent:hello')
  hello(@ConnectedSocket() client: EchoSocket, @MessageBody() body: unknown, @Ack() ack: unknown): Promise<void> {
    return handleEvent(client, 'agent:hello', ack, async () => {
      const actor = client.data.actor;
      requireKind(actor, 'AGENT');
      const card = parseCard(body);
      // Consoles get the card as the hub rules it (effective policies), not as the agent claims it.
      const commands = await this.agents.saveCard(actor, card);
      this.realtime.toHumans('agent:card', { agentId: actor.id, ...card, commands });
      // The agent learns how the hub rules its commands (its direct chat runs only READ_ONLY ones).
      return { commands };
    });
  }
}
