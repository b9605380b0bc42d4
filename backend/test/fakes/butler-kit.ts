import { io, type Socket } from 'socket.io-client';
import type { AgentCommandCard, ChatMessageDto, CommandResultPayload, CommandRunEvent } from '@echocenter/contracts';
import { registerAgent, type TestApp } from '../support/test-app';

interface Seen {
  event: string;
  data: unknown;
}

/** A socket.io client that remembers every event, so a test can wait for one that may already have come. */
export class Probe {
  readonly seen: Seen[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, data: unknown) => {
      this.seen.push({ event, data });
      for (const l of this.listeners) l();
    });
  }

  all<T>(event: string, pred: (d: T) => boolean = () => true): T[] {
    return this.seen.filter((s) => s.event === event && pred(s.data as T)).map((s) => s.data as T);
  }

  /** The first matching event, past or future; fails with a message naming what was awaited. */
  waitFor<T>(event: string, pred: (d: T) => boolean = () => true, timeoutMs = 8000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.seen.find((s) => s.event === event && pred(s.data as T));
        if (!hit) return false;
        cleanup();
        resolve(hit.data as T);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const names = this.seen.map((s) => s.event).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}" (seen: ${names || 'nothing'})`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      this.listeners.add(listener);
      check();
    });
  }

  emit<T = { ok: boolean }>(event: string, payload: unknown): Promise<T> {
    return this.socket.timeout(8000).emitWithAck(event, payload) as Promise<T>;
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function connect(t: TestApp, token: string): Promise<Probe> {
  const socket = io(t.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const probe = new Probe(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return probe;
}

export type CommandHandler = (
  run: CommandRunEvent,
) => Promise<Omit<CommandResultPayload, 'commandId'> | null> | Omit<CommandResultPayload, 'commandId'> | null;

/** A test agent: registers, connects, sends its card, answers command:run with the handler (null = never). */
export async function startAgent(t: TestApp, name: string, commands: AgentCommandCard[], handler: CommandHandler) {
  const { id, token } = await registerAgent(t, name);
  const probe = await connect(t, token);
  const runs: CommandRunEvent[] = [];
  probe.socket.on('command:run', (run: CommandRunEvent) => {
    runs.push(run);
    void Promise.resolve(handler(run)).then((res) => {
      if (res) probe.emit('command:result', { commandId: run.commandId, ...res }).catch(() => undefined);
    });
  });
  const hello = await probe.emit<{ ok: boolean }>('agent:hello', {
    description: `${name} (test)`,
    version: '1.0.0',
    commands,
  });
  if (!hello.ok) throw new Error(`agent:hello failed: ${JSON.stringify(hello)}`);
  return { id, token, probe, runs };
}

export async function butlerId(t: TestApp, token: string): Promise<number> {
  const res = await t.http().get('/api/butler').set('authorization', `Bearer ${token}`);
  return res.body.id as number;
}

export async function newThread(t: TestApp, token: string, title = 'test thread'): Promise<number> {
  const res = await t.http().post('/api/conversations').set('authorization', `Bearer ${token}`).send({ title });
  if (res.status !== 201) throw new Error(`create conversation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

/** Sends one message to the Butler and resolves with its stored reply (after chat:end). */
export async function ask(
  human: Probe,
  butler: number,
  conversationId: number,
  text: string,
  timeoutMs = 8000,
  extra: Record<string, unknown> = {},
): Promise<ChatMessageDto> {
  const ack = await human.emit<{ ok: boolean; message: ChatMessageDto; error?: unknown }>('chat:send', {
    targetId: butler,
    text,
    conversationId,
    ...extra,
  });
  if (!ack.ok) throw new Error(`chat:send failed: ${JSON.stringify(ack)}`);
  const reply = await human.waitFor<ChatMessageDto>(
    'chat:message',
    (m) => m.senderId === butler && m.conversationId === conversationId && m.id > ack.message.id,
    timeoutMs,
  );
  await human.waitFor<{ streamId: string }>('chat:end', (e) => e.streamId === reply.streamId, timeoutMs);
  return reply;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the condition holds; fails after `timeoutMs` naming what it waited for. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 8000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
