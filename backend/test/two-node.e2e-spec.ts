import { randomBytes } from 'node:crypto';
import type { AgentDto, ChatMessageDto } from '@echocenter/contracts';
import {
  buildBackend,
  createClusterDatabase,
  multiNodeUnavailable,
  startNode,
  type BackendNode,
} from './support/node-cluster';
import { call, closeAll, connect, record, refused, sleep, waitFor } from './support/sockets';

const ADMIN_PASSWORD = 'two-node-admin-pass';

const unavailable = multiNodeUnavailable();
if (unavailable) console.log(`two-node e2e skipped: ${unavailable} (it needs MYSQL_URL and a reachable Redis)`);
const test = unavailable ? it.skip : it;

/** Two backend processes sharing one MariaDB database and Redis behave as one hub. */
describe('two nodes over Redis', () => {
  let a: BackendNode | undefined;
  let b: BackendNode | undefined;
  let build: ReturnType<typeof buildBackend> | undefined;
  let db: Awaited<ReturnType<typeof createClusterDatabase>> | undefined;

  beforeAll(async () => {
    if (unavailable) return;
    build = buildBackend();
    db = await createClusterDatabase();
    const env = {
      DB_DRIVER: 'mysql',
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `ec-test-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD,
      PRESENCE_HEARTBEAT_MS: '250',
      PRESENCE_NODE_TIMEOUT_MS: '1500',
    };
    // One after the other: each runs the migrations at start.
    a = await startNode(build.dist, env);
    b = await startNode(build.dist, env);
  }, 240_000);

  afterAll(async () => {
    closeAll();
    await Promise.all([a?.kill(), b?.kill()]);
    await db?.drop();
    build?.cleanup();
  }, 60_000);

  const api = async (node: BackendNode, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${node.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  test(`routes chat, presence, dedupe, history and revocation across nodes; a killed node's agent goes offline${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const nodeA = a!;
    const nodeB = b!;
    const admin = (await api(nodeA, 'POST', '/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD }))
      .body.accessToken as string;
    const user = (
      await api(nodeA, 'POST', '/users', admin, { username: 'hannah', password: 'hannah-pass-1', role: 'MEMBER' })
    ).body;
    const human = (
      await api(nodeB, 'POST', '/auth/login', undefined, { username: 'hannah', password: 'hannah-pass-1' })
    ).body.accessToken as string;
    const agent = (await api(nodeA, 'POST', '/agents', admin, { name: 'far-agent' })).body as {
      agent: AgentDto;
      token: string;
    };
    const agentId = agent.agent.id;

    // Human on A, a watcher on each node; the agent connects to B.
    const hA = await connect(nodeA.url, human);
    const watchA = await connect(nodeA.url, admin);
    const watchB = await connect(nodeB.url, admin);
    const onlineA = waitFor(watchA, 'presence:update', (u) => u.actorId === agentId && u.online);
    const onlineB = waitFor(watchB, 'presence:update', (u) => u.actorId === agentId && u.online);
    const agB = await connect(nodeB.url, agent.token);
    await Promise.all([onlineA, onlineB]);
    for (const node of [nodeA, nodeB])
      expect((await api(node, 'GET', `/agents/${agentId}`, admin)).body.online).toBe(true);

    // Chat both ways; the human's other socket (on B) gets the echo, the sending socket does not.
    const hB = await connect(nodeB.url, human);
    const echo = waitFor(hB, 'chat:message');
    const toAgent = waitFor(agB, 'chat:message');
    const sent = await call(hA, 'chat:send', { targetId: agentId, text: 'ping from A' });
    expect(sent.ok).toBe(true);
    expect(await toAgent).toEqual(sent.message);
    expect(await echo).toEqual(sent.message);
    const toHuman = waitFor(hA, 'chat:message');
    const reply = await call(agB, 'chat:send', { targetId: user.id, text: 'pong from B' });
    expect(await toHuman).toEqual(reply.message);

    // The same localId sent through both nodes at once is stored once.
    const dup = await Promise.all(
      [hA, hB, hA, hB].map((s) => call(s, 'chat:send', { targetId: agentId, text: 'once', localId: 'x-node-1' })),
    );
    expect(new Set(dup.map((r) => r.message.id)).size).toBe(1);

    // Identical history from both nodes, for both sides.
    const histA = (await api(nodeA, 'GET', `/chat/${agentId}/messages?limit=50`, human)).body.items as ChatMessageDto[];
    const histB = (await api(nodeB, 'GET', `/chat/${agentId}/messages?limit=50`, human)).body.items as ChatMessageDto[];
    expect(histA.map((m) => m.text)).toEqual(['once', 'pong from B', 'ping from A']);
    expect(histB).toEqual(histA);
    expect((await api(nodeA, 'GET', `/chat/${user.id}/messages?limit=50`, agent.token)).body.items).toEqual(histA);

    // Rotating a token on A disconnects the agent's socket on B.
    const other = (await api(nodeA, 'POST', '/agents', admin, { name: 'rotated-agent' })).body as {
      agent: AgentDto;
      token: string;
    };
    const otherSocket = await connect(nodeB.url, other.token);
    const gone = new Promise<string>((r) => otherSocket.once('disconnect', r));
    expect((await api(nodeA, 'POST', `/agents/${other.agent.id}/token`, admin)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect((await refused(nodeB.url, other.token)).data).toEqual({ code: 'UNAUTHORIZED' });

    // Login limits count every node's attempts (the counters live in Redis): LOGIN_RATE_LIMIT (10) wrong
    // passwords spread over both nodes use up the username's allowance on both.
    expect(
      (await api(nodeA, 'POST', '/users', admin, { username: 'ivan', password: 'ivan-pass-123', role: 'MEMBER' }))
        .status,
    ).toBe(201);
    const attempts = [];
    for (let i = 0; i < 10; i++)
      attempts.push(
        (
          await api(i % 2 ? nodeB : nodeA, 'POST', '/auth/login', undefined, {
            username: 'ivan',
            password: `wrong-${i}`,
          })
        ).status,
      );
    expect(attempts).toEqual(Array(10).fill(401));
    expect(
      (await api(nodeB, 'POST', '/auth/login', undefined, { username: 'ivan', password: 'ivan-pass-123' })).status,
    ).toBe(429);
    expect(
      (await api(nodeA, 'POST', '/auth/login', undefined, { username: 'ivan', password: 'ivan-pass-123' })).status,
    ).toBe(429);

    // Killing B: its sockets are gone, A sweeps B's presence and announces the agent offline.
    const humanUpdates = record(watchA, 'presence:update');
    const offlineA = waitFor(watchA, 'presence:update', (u) => u.actorId === agentId && !u.online, 10_000);
    await nodeB.kill('SIGKILL');
    expect(await offlineA).toMatchObject({ actorId: agentId, online: false, status: 'OFFLINE' });
    expect((await api(nodeA, 'GET', `/agents/${agentId}`, admin)).body.online).toBe(false);
    // The human lost its socket on B but keeps hA, so it stays online.
    await sleep(500);
    expect(humanUpdates.filter((u) => u.actorId === user.id)).toEqual([]);
  }, 60_000);
});
