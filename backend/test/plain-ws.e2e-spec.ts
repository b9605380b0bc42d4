import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type {
  AgentDto,
  ApprovalRequestedEvent,
  ApprovalUpdatedEvent,
  ChatMessageDto,
  LogDto,
} from '@echocenter/contracts';
import { PlainWsGateway } from '../src/plain-ws/plain-ws.gateway';
import { butlerId, connect, newThread, type Probe } from './fakes/butler-kit';
import { ADMIN, confirmReadOnly, createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';

interface Frame {
  type: string;
  id?: number;
  local_id?: string | null;
  sender_id?: number | null;
  sender_name?: string | null;
  sender_role?: string | null;
  target_id?: number | null;
  payload?: any;
  stream_id?: string | null;
  conversation_id?: number | null;
  command_id?: number | null;
}

/** A raw `ws` client on /api/ws that keeps every frame, so a test can wait for one that already came. */
class PlainClient {
  readonly frames: Frame[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    this.closed = new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  }

  /** Opens with `?token=` (the original's way) or, with `header`, `Authorization: Bearer`. */
  static open(url: string, token: string, opts: { header?: boolean } = {}): Promise<PlainClient> {
    const base = url.replace(/^http/, 'ws') + '/api/ws';
    const ws = opts.header
      ? new WebSocket(base, { headers: { authorization: `Bearer ${token}` } })
      : new WebSocket(`${base}?token=${encodeURIComponent(token)}`);
    const client = new PlainClient(ws);
    return new Promise((ok, fail) => {
      ws.once('open', () => ok(client));
      ws.once('unexpected-response', (_req, res) => fail(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', fail);
    });
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async waitFor(pred: (f: Frame) => boolean, what: string, ms = 8000): Promise<Frame> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = this.frames.find(pred);
      if (hit) return hit;
      await sleep(20);
    }
    throw new Error(
      `timed out after ${ms} ms waiting for ${what} (frames: ${this.frames.map((f) => f.type).join(', ') || 'none'})`,
    );
  }

  /** Sends a frame with a fresh local_id and resolves with its ACK, or fails with its ERROR. */
  async call(frame: object): Promise<Frame> {
    const localId = `t-${randomBytes(6).toString('hex')}`;
    this.send({ ...frame, local_id: localId });
    const answer = await this.waitFor(
      (f) => f.local_id === localId && (f.type === 'ACK' || f.type === 'ERROR'),
      `the answer to ${localId}`,
    );
    if (answer.type === 'ERROR') throw new Error(`refused: ${JSON.stringify(answer.payload)}`);
    return answer;
  }

  /** The ERROR frame a frame gets, matched by a local_id the test adds. */
  async refused(frame: object): Promise<{ code: string; message: string; details?: Array<{ field: string }> }> {
    const localId = `bad-${randomBytes(6).toString('hex')}`;
    this.send({ ...frame, local_id: localId });
    return (
      await this.waitFor(
        (f) => f.local_id === localId && (f.type === 'ERROR' || f.type === 'ACK'),
        `the answer to ${localId}`,
      )
    ).payload;
  }

  close(): void {
    this.ws.close();
  }
}

/** A refused upgrade's HTTP status. */
function refusedStatus(url: string, token?: string): Promise<number> {
  const ws = new WebSocket(
    url.replace(/^http/, 'ws') + '/api/ws' + (token === undefined ? '' : `?token=${encodeURIComponent(token)}`),
  );
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => (ws.close(), reject(new Error('upgrade was accepted'))));
    ws.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function agentRow(t: TestApp, id: number): Promise<AgentDto | undefined> {
  const res = await t.http().get('/api/agents').set(auth(t.adminToken));
  const list: AgentDto[] = Array.isArray(res.body) ? res.body : res.body.items;
  return list.find((a) => a.id === id);
}

async function until(cond: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('plain WebSocket endpoint (/api/ws, the original envelope)', () => {
  let t: TestApp;
  let admin: Probe;
  let adminId: number;
  let agentId: number;
  let agentToken: string;
  let agent: PlainClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connect(t, t.adminToken);
    adminId = (await t.http().get('/api/auth/me').set(auth(t.adminToken))).body.id;
    ({ id: agentId, token: agentToken } = await registerAgent(t, 'Plain-Custodian'));
    agent = await PlainClient.open(t.url, agentToken);
  });
  afterAll(async () => {
    admin?.close();
    agent?.close();
    await t?.close();
  });

  it('refuses an upgrade without a token or with a bad one (401), and leaves Socket.IO alone', async () => {
    expect(await refusedStatus(t.url)).toBe(401);
    expect(await refusedStatus(t.url, 'agt_not-a-real-token')).toBe(401);
    expect(await refusedStatus(t.url, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.bad')).toBe(401);
    expect(admin.socket.connected).toBe(true);
    // An upgrade on any other path is closed at once (engine.io no longer waits 1 s to do it).
    const stray = new WebSocket(
      `${t.url.replace(/^http/, 'ws')}/api/elsewhere?token=${encodeURIComponent(agentToken)}`,
    );
    await expect(new Promise((_ok, fail) => stray.once('error', fail))).rejects.toThrow(/socket hang up/);
  });

  it('puts the agent online like a Socket.IO agent, and answers a client ping', async () => {
    await until(async () => (await agentRow(t, agentId))?.online === true, 'Plain-Custodian online');
    const pong = new Promise<void>((r) => agent.ws.once('pong', () => r()));
    agent.ws.ping();
    await pong;
  });

  it('pings every socket; one that never answers is cut at the next round, one that does stays', async () => {
    const keepalive = t.app.get(PlainWsGateway);
    const mute = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/ws?token=${encodeURIComponent(agentToken)}`, {
      autoPong: false,
    });
    await new Promise((r) => mute.once('open', r));
    const pinged = [mute, agent.ws].map((ws) => new Promise<void>((r) => ws.once('ping', () => r())));
    const closed = new Promise<number>((r) => mute.once('close', (code) => r(code)));
    keepalive.keepalive();
    await Promise.all(pinged);
    // The agent's automatic pong is on its way back; give it time to land before the next round.
    await sleep(200);
    keepalive.keepalive();
    expect(await closed).toBe(1006);
    expect(agent.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('SYSTEM_LOG is stored and reaches operators as log:new; a resend with the same local_id stores nothing new', async () => {
    agent.send({ type: 'SYSTEM_LOG', payload: 'plain agent online' });
    const bare = await admin.waitFor<LogDto>(
      'log:new',
      (l) => l.agentId === agentId && l.content === 'plain agent online',
    );
    expect(bare).toMatchObject({ level: 'INFO', agentName: 'Plain-Custodian' });
    const frame = {
      type: 'SYSTEM_LOG',
      local_id: 'log-1',
      payload: { level: 'ERROR', content: 'disk /dev/sda1 failing' },
    };
    agent.send(frame);
    const first = await agent.waitFor((f) => f.type === 'ACK' && f.local_id === 'log-1', 'the log ACK');
    agent.send(frame);
    await until(
      async () => agent.frames.filter((f) => f.type === 'ACK' && f.local_id === 'log-1').length === 2,
      'the second ACK',
    );
    expect(agent.frames.filter((f) => f.local_id === 'log-1').map((f) => f.id)).toEqual([first.id, first.id]);
    const stored = await t.http().get(`/api/logs?agentId=${agentId}&level=ERROR`).set(auth(t.adminToken));
    expect(stored.body.items).toEqual([
      expect.objectContaining({ id: first.id, content: 'disk /dev/sda1 failing', agentId }),
    ]);
  });

  it('chats with a Socket.IO operator both ways; the hub sets every sender field', async () => {
    agent.send({
      type: 'CHAT',
      target_id: adminId,
      payload: 'hello operator',
      sender_id: adminId,
      sender_name: 'admin',
      sender_role: 'ADMIN',
      id: 1,
      timestamp: '1999-01-01',
    });
    const got = await admin.waitFor<ChatMessageDto>('chat:message', (m) => m.text === 'hello operator');
    expect(got).toMatchObject({
      senderId: agentId,
      senderName: 'Plain-Custodian',
      senderKind: 'AGENT',
      targetId: adminId,
    });
    expect(got.createdAt).not.toContain('1999');

    const sent = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', {
      targetId: agentId,
      text: 'hello agent',
      localId: 'op-1',
    });
    expect(sent.ok).toBe(true);
    const frame = await agent.waitFor((f) => f.type === 'CHAT' && f.payload === 'hello agent', 'the operator’s CHAT');
    expect(frame).toMatchObject({
      id: sent.message.id,
      sender_id: adminId,
      sender_name: 'admin',
      sender_role: 'ADMIN',
      target_id: agentId,
      local_id: 'op-1',
    });
    // Agents never get their own messages back.
    expect(agent.frames.some((f) => f.type === 'CHAT' && f.payload === 'hello operator')).toBe(false);
  });

  it('streams a reply: CHAT_STREAM pieces, the stored CHAT with the same stream_id, CHAT_STREAM_END', async () => {
    const stream = { target_id: adminId, stream_id: 'st-1' };
    agent.send({ type: 'CHAT_STREAM', ...stream, payload: 'Hel' });
    agent.send({ type: 'CHAT_STREAM', ...stream, payload: 'lo!' });
    agent.send({ type: 'CHAT', ...stream, payload: 'Hello!' });
    agent.send({ type: 'CHAT_STREAM_END', ...stream, payload: '' });
    await admin.waitFor('chat:end', (e: { streamId: string }) => e.streamId === 'st-1');
    const chunks = admin.all<{ text: string; senderId: number; streamId: string }>(
      'chat:chunk',
      (c) => c.streamId === 'st-1',
    );
    expect(chunks.map((c) => c.text)).toEqual(['Hel', 'lo!']);
    expect(chunks[0].senderId).toBe(agentId);
    expect(admin.all<ChatMessageDto>('chat:message', (m) => m.streamId === 'st-1').map((m) => m.text)).toEqual([
      'Hello!',
    ]);
    const order = admin.seen.filter((e) => (e.data as { streamId?: string })?.streamId === 'st-1').map((e) => e.event);
    expect(order).toEqual(['chat:chunk', 'chat:chunk', 'chat:message', 'chat:end']);
  });

  it('a resent CHAT with the same local_id is stored once (both ACKs name the same id)', async () => {
    const frame = { type: 'CHAT', target_id: adminId, payload: 'exactly once', local_id: 'dup-1' };
    agent.send(frame);
    agent.send(frame);
    await until(
      async () => agent.frames.filter((f) => f.type === 'ACK' && f.local_id === 'dup-1').length === 2,
      'two ACKs',
    );
    const ids = agent.frames.filter((f) => f.local_id === 'dup-1').map((f) => f.id);
    expect(new Set(ids).size).toBe(1);
    const history = await t.http().get(`/api/chat/${agentId}/messages?limit=200`).set(auth(t.adminToken));
    expect((history.body.items as ChatMessageDto[]).filter((m) => m.text === 'exactly once')).toHaveLength(1);
  });

  it('answers bad frames with ERROR (the Socket.IO codes) and stays open', async () => {
    agent.send('{not json');
    expect(
      (await agent.waitFor((f) => f.type === 'ERROR' && f.payload?.frame === null, 'the ERROR for garbage')).payload,
    ).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'frame' }] });
    expect(await agent.refused({ type: 'CHAT', payload: 'to everyone' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'target_id' }],
    });
    expect(await agent.refused({ type: 'CHAT', target_id: 'x', payload: 'hi' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'target_id' }],
    });
    expect(await agent.refused({ type: 'CHAT', target_id: 999999, payload: 'hi' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await agent.refused({ type: 'CHAT', target_id: agentId, payload: 'me' })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await agent.refused({ type: 'WHATEVER', payload: 1 })).toMatchObject({
      code: 'UNKNOWN_EVENT',
      frame: 'WHATEVER',
    });
    expect(await agent.refused({ type: 'SYSTEM_LOG', payload: { level: 'LOUD', content: 'x' } })).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'payload.level' }],
    });
    expect(await agent.refused({ type: 'COMMAND_RESULT', command_id: 424242, payload: 'done' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await agent.refused({ type: 'AUTH_RESPONSE', payload: { id: 1, approved: true } })).toMatchObject({
      code: 'FORBIDDEN',
    });
    // conversation_id only between a thread's owner and the Butler: an agent naming the admin's thread is NOT_FOUND.
    const thread = await newThread(t, t.adminToken);
    expect(
      await agent.refused({
        type: 'CHAT',
        target_id: await butlerId(t, t.adminToken),
        conversation_id: thread,
        payload: 'into your thread',
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await agent.refused({ type: 'CHAT', target_id: adminId, payload: 'x'.repeat(t.config.limits.payloadBytes + 10) }),
    ).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(agent.ws.readyState).toBe(WebSocket.OPEN);
    const ok = await agent.call({ type: 'SYSTEM_LOG', payload: 'still here' });
    expect(ok.type).toBe('ACK');
  });

  it('takes part in Butler commands: a read-only one runs at once, a side-effecting one after an approval', async () => {
    agent.send({
      type: 'AGENT_HELLO',
      payload: {
        description: 'plain custodian',
        version: '1.0.0',
        commands: [
          { name: 'get_status', readOnly: true },
          { name: 'clean', args: '<path>' },
        ],
      },
    });
    await admin.waitFor('agent:card', (c: { agentId: number }) => c.agentId === agentId);
    await confirmReadOnly(t, agentId, 'get_status');
    const answered = new Set<number>();
    const runner = setInterval(() => {
      for (const f of agent.frames) {
        if (f.type !== 'COMMAND' || answered.has(f.command_id!)) continue;
        answered.add(f.command_id!);
        agent.send({ type: 'COMMAND_PROGRESS', command_id: f.command_id, payload: `working on ${f.payload.command}` });
        agent.send({
          type: 'COMMAND_RESULT',
          command_id: f.command_id,
          payload: { ok: true, result: `${f.payload.command} done (${f.payload.args})` },
        });
      }
    }, 20);
    try {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      const ask = async (text: string) => {
        const sent = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', {
          targetId: butler,
          text,
          conversationId: thread,
        });
        expect(sent.ok).toBe(true);
        const reply = await admin.waitFor<ChatMessageDto>(
          'chat:message',
          (m) => m.senderId === butler && m.conversationId === thread && m.id > sent.message.id,
        );
        await admin.waitFor('chat:end', (e: { streamId: string }) => e.streamId === reply.streamId);
        return reply;
      };
      const status = await ask('ask Plain-Custodian to get_status');
      expect(status.text).toContain('Plain-Custodian answered "get_status"');
      const run = agent.frames.find((f) => f.type === 'COMMAND' && f.payload.command === 'get_status')!;
      expect(run).toMatchObject({
        sender_role: 'BUTLER',
        sender_id: butler,
        payload: { command: 'get_status', deadline: expect.any(String) },
      });

      const held = await ask('Plain-Custodian: clean /x');
      expect(held.text).toContain('needs a human approval first');
      const requested = await admin.waitFor<ApprovalRequestedEvent>(
        'approval:requested',
        (a) => a.agentId === agentId && a.command === 'clean /x',
      );
      expect(agent.frames.some((f) => f.type === 'COMMAND' && f.payload.command === 'clean')).toBe(false);
      const decided = await admin.emit<{ ok: boolean }>('approval:respond', {
        id: requested.id,
        approved: true,
        reason: 'fine',
      });
      expect(decided.ok).toBe(true);
      await admin.waitFor<ApprovalUpdatedEvent>(
        'approval:updated',
        (u) => u.id === requested.id && u.status === 'SUCCEEDED',
      );
      const clean = agent.frames.find((f) => f.type === 'COMMAND' && f.payload.command === 'clean')!;
      expect(clean.payload.args).toBe('/x');
      const record = (await t.http().get(`/api/approvals/${requested.id}`).set(auth(t.adminToken))).body;
      expect(record).toMatchObject({ status: 'SUCCEEDED', executedCommand: 'clean /x' });
      expect(record.result).toContain('clean done (/x)');
    } finally {
      clearInterval(runner);
    }
  });

  it('a human on /api/ws (JWT in the Authorization header) gets AUTH_REQUEST, AUTH_STATUS_UPDATE and BUTLER_AGENT_MESSAGE frames', async () => {
    const human = await PlainClient.open(t.url, t.adminToken, { header: true });
    try {
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      await admin.emit('chat:send', { targetId: butler, text: 'Plain-Custodian: clean /y', conversationId: thread });
      const request = await human.waitFor(
        (f) => f.type === 'AUTH_REQUEST' && f.payload.command === 'clean /y',
        'AUTH_REQUEST',
      );
      expect(request.payload).toMatchObject({ action_id: String(request.id), agentId, status: 'PENDING' });
      human.send({
        type: 'AUTH_RESPONSE',
        local_id: 'dec-1',
        payload: { action_id: String(request.id), approved: false, reason: 'not now' },
      });
      await human.waitFor((f) => f.type === 'ACK' && f.local_id === 'dec-1', 'the decision ACK');
      const update = await human.waitFor(
        (f) => f.type === 'AUTH_STATUS_UPDATE' && f.id === request.id,
        'AUTH_STATUS_UPDATE',
      );
      expect(update.payload).toMatchObject({ action_id: String(request.id), status: 'REJECTED' });
      const monitor = await human.waitFor(
        (f) => f.type === 'BUTLER_AGENT_MESSAGE' && f.payload.agent_id === agentId && /rejected/.test(f.payload.text),
        'BUTLER_AGENT_MESSAGE',
      );
      expect(monitor.payload.text).toContain(`approval #${request.id} rejected by admin`);
    } finally {
      human.close();
    }
  });

  it('closes a member’s plain socket when their sessions end (sign out everywhere), and refuses the old token', async () => {
    const member = await createUser(t, 'plain-member');
    const human = await PlainClient.open(t.url, member.token);
    await t.http().post('/api/auth/logout-all').set(auth(member.token)).expect(204);
    expect((await human.closed).code).toBe(4401);
    expect(await refusedStatus(t.url, member.token)).toBe(401);
  });

  it('closes the agent’s socket when its token is rotated; the old token is refused and the agent goes offline', async () => {
    const other = await registerAgent(t, 'Plain-Rotated');
    const victim = await PlainClient.open(t.url, other.token);
    await until(async () => (await agentRow(t, other.id))?.online === true, 'Plain-Rotated online');
    await t.http().post(`/api/agents/${other.id}/token`).set(auth(t.adminToken)).expect(200);
    expect(await victim.closed).toEqual({ code: 4401, reason: 'UNAUTHORIZED' });
    expect(await refusedStatus(t.url, other.token)).toBe(401);
    await until(async () => (await agentRow(t, other.id))?.online === false, 'Plain-Rotated offline');
  });
});

describe('plain WebSocket: rate bucket and JWT expiry, as on Socket.IO', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ JWT_EXPIRES_IN: '2s', SOCKET_RATE_BURST: '5', SOCKET_RATE_PER_SEC: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses frames beyond the token bucket with RATE_LIMITED and stays open', async () => {
    t.adminToken = (await t.login(ADMIN.username, ADMIN.password)).accessToken;
    const agent = await registerAgent(t, 'Plain-Flood');
    const plain = await PlainClient.open(t.url, agent.token);
    try {
      for (let i = 0; i < 8; i++) plain.send({ type: 'SYSTEM_LOG', payload: `line ${i}`, local_id: `flood-${i}` });
      await until(
        async () => plain.frames.filter((f) => f.local_id?.startsWith('flood-')).length === 8,
        'an answer to each of 8 frames',
      );
      const answers = plain.frames.filter((f) => f.local_id?.startsWith('flood-'));
      expect(answers.filter((f) => f.type === 'ACK')).toHaveLength(5);
      expect(answers.filter((f) => f.type === 'ERROR').map((f) => f.payload.code)).toEqual([
        'RATE_LIMITED',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
      expect(plain.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      plain.close();
    }
  });

  it('sends a human ERROR TOKEN_EXPIRED and closes the socket when the JWT expires; an agent stays', async () => {
    // The suite's admin token lives 2 s too: a fresh one for the setup below.
    t.adminToken = (await t.login(ADMIN.username, ADMIN.password)).accessToken;
    const { token } = await createUser(t, 'plain-short', 'MEMBER');
    const agent = await registerAgent(t, 'Plain-Long');
    const agentSocket = await PlainClient.open(t.url, agent.token);
    const human = await PlainClient.open(t.url, token);
    const started = Date.now();
    expect((await human.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(human.frames.filter((f) => f.type === 'ERROR')).toEqual([
      { type: 'ERROR', payload: { code: 'TOKEN_EXPIRED', message: expect.any(String), event: 'session' } },
    ]);
    expect(agentSocket.ws.readyState).toBe(WebSocket.OPEN);
    agentSocket.close();
  });

  it('a node shutting down closes plain sockets with 1012 (reconnect elsewhere) and refuses new ones', async () => {
    t.adminToken = (await t.login(ADMIN.username, ADMIN.password)).accessToken;
    const agent = await registerAgent(t, 'Plain-Drained');
    const plain = await PlainClient.open(t.url, agent.token);
    const url = t.url;
    await t.close({ dropDatabase: false });
    expect((await plain.closed).code).toBe(1012);
    await expect(PlainClient.open(url, agent.token)).rejects.toThrow();
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  process.stdout.write(
    'plain-ws: two nodes over Redis skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
  );

(REDIS_URL ? describe : describe.skip)('plain WebSocket on two nodes (Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Our own channels on a shared Redis: other suites' nodes (same actor ids) must not hear ours.
    a = await startTestApp({ REDIS_URL: REDIS_URL!, REDIS_PREFIX: `ec-plainws-${randomBytes(4).toString('hex')}` });
    b = await a.restart();
  });
  afterAll(async () => {
    await b?.close({ dropDatabase: false });
    await a?.close();
  });

  it('a plain agent on node B and an operator on node A chat both ways; a rotation on A closes the socket on B', async () => {
    const operator = await connect(a, a.adminToken);
    const adminId = (await a.http().get('/api/auth/me').set(auth(a.adminToken))).body.id as number;
    const far = await registerAgent(a, 'Plain-Far');
    const plain = await PlainClient.open(b.url, far.token);
    try {
      await operator.waitFor(
        'presence:update',
        (u: { actorId: number; online: boolean }) => u.actorId === far.id && u.online,
      );
      plain.send({ type: 'CHAT', target_id: adminId, payload: 'from node B' });
      expect(await operator.waitFor<ChatMessageDto>('chat:message', (m) => m.text === 'from node B')).toMatchObject({
        senderId: far.id,
        senderKind: 'AGENT',
      });
      const sent = await operator.emit<{ ok: boolean }>('chat:send', { targetId: far.id, text: 'from node A' });
      expect(sent.ok).toBe(true);
      expect(
        await plain.waitFor((f) => f.type === 'CHAT' && f.payload === 'from node A', 'the CHAT from node A'),
      ).toMatchObject({ sender_id: adminId });
      await a.http().post(`/api/agents/${far.id}/token`).set(auth(a.adminToken)).expect(200);
      expect((await plain.closed).code).toBe(4401);
      await operator.waitFor(
        'presence:update',
        (u: { actorId: number; online: boolean }) => u.actorId === far.id && !u.online,
      );
    } finally {
      operator.close();
      plain.close();
    }
  });
});

// ---- the Python example from docs/agents.md, on Debian's python3-websockets ---------------------------

const ROOT = resolve(__dirname, '../..');
function findPython(): string | undefined {
  for (const candidate of [process.env.ECHO_PYTHON, 'python3', '/usr/bin/python3']) {
    if (candidate && spawnSync(candidate, ['-c', 'import websockets'], { timeout: 15_000 }).status === 0)
      return candidate;
  }
  return undefined;
}
const PYTHON = findPython();
if (!PYTHON)
  process.stdout.write(
    'plain-ws: Python example skipped: no python3 with the websockets module (apt-get install -y python3-websockets)\n',
  );

(PYTHON ? describe : describe.skip)('the plain-WebSocket Python example from docs/agents.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs as written: logs, answers chat, and runs a command through the Butler', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'agents.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Plain WebSocket'));
    const code = /```python\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toContain('import websockets');
    const dir = mkdtempSync(join(tmpdir(), 'plain-agent-'));
    writeFileSync(join(dir, 'plain_agent.py'), code!);
    const admin = await connect(t, t.adminToken);
    const agent = await registerAgent(t, 'Plain-Greeter');
    const child = spawn(PYTHON!, ['-u', join(dir, 'plain_agent.py')], {
      env: { ...process.env, ECHO_URL: t.url.replace(/^http/, 'ws') + '/api/ws', ECHO_TOKEN: agent.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await admin
        .waitFor<LogDto>('log:new', (l) => l.agentId === agent.id && l.content === 'plain greeter online', 15_000)
        .catch((err: Error) => {
          throw new Error(`${err.message}\npython output:\n${out}`);
        });
      const sent = await admin.emit<{ ok: boolean }>('chat:send', { targetId: agent.id, text: 'hi there' });
      expect(sent.ok).toBe(true);
      expect((await admin.waitFor<ChatMessageDto>('chat:message', (m) => m.senderId === agent.id)).text).toBe(
        'You said: hi there',
      );
      await confirmReadOnly(t, agent.id, 'greet');
      const butler = await butlerId(t, t.adminToken);
      const thread = await newThread(t, t.adminToken);
      const asked = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', {
        targetId: butler,
        text: 'ask Plain-Greeter to greet Ada',
        conversationId: thread,
      });
      const answer = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === butler && m.id > asked.message.id && m.text.includes('answered'),
        15_000,
      );
      expect(answer.text).toContain('Hello, Ada!');
      // The Butler's question: answered like a human's; with no reply_to, matched to its oldest open question.
      const question = await admin.emit<{ ok: boolean; message: ChatMessageDto }>('chat:send', {
        targetId: butler,
        text: 'ask Plain-Greeter: are you there?',
        conversationId: thread,
      });
      const words = await admin.waitFor<ChatMessageDto>(
        'chat:message',
        (m) => m.senderId === butler && m.id > question.message.id && m.text.includes('answered'),
        15_000,
      );
      expect(words.text).toBe('Plain-Greeter answered:\n> You said: are you there?');
    } finally {
      admin.close();
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
