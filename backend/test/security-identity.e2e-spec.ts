import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { io as ioClient } from 'socket.io-client';
import { DataSource } from 'typeorm';
import type { AllowRuleDto, ApprovalDto, AuditEntryDto, SocketErrorEvent } from '@echocenter/contracts';
import { SocketAuthService } from '../src/gateway/socket-auth.service';
import { ask, butlerId, connect as connectProbe, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { call, closeAll, connect, record, refused, type ClientSocket } from './support/sockets';
import { ADMIN, createUser, startTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;

/** The reason the server gave for closing the socket, or a clear failure when it stays open. */
function disconnectOf(socket: ClientSocket, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`socket still connected after ${ms} ms (expected the server to close it)`)),
      ms,
    );
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Issue 19, hole 2: "sockets outlive the account". A socket's actor is fixed at its handshake and a JWT
 * lives until it expires, so every change of an account must reach its open sockets and its tokens.
 */
describe('identity: tokens and sockets follow the account', () => {
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let thread: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;

  /** A pending approval asked for by the admin through the (offline) Butler; each test its own command. */
  async function pendingApproval(command: string): Promise<number> {
    const reply = await ask(admin, butler, thread, `Storage-Custodian: ${command}`);
    const id = Number(/Approval #(\d+) was requested/.exec(reply.text)?.[1]);
    if (!id) throw new Error(`the Butler asked for no approval: ${reply.text}`);
    return id;
  }

  const approval = async (id: number) =>
    (await t.http().get(`/api/approvals/${id}`).set(bearer(t.adminToken))).body as ApprovalDto;
  const rules = async () =>
    (await t.http().get('/api/approvals/rules').set(bearer(t.adminToken))).body as AllowRuleDto[];
  const me = (token: string) => t.http().get('/api/auth/me').set(bearer(token));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await connectProbe(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    thread = await newThread(t, t.adminToken);
    custodian = await startAgent(
      t,
      'Storage-Custodian',
      [
        { name: 'clean', args: '<path>' },
        { name: 'purge', args: '<path>' },
      ],
      () => ({ ok: true, result: 'cleaned' }),
    );
  });
  afterAll(async () => {
    closeAll();
    admin?.close();
    custodian?.probe.close();
    await t?.close();
  });

  it('a demoted admin: every open socket closes at once, the old token is refused on REST and at the handshake, and the stale tab cannot approve', async () => {
    const dana = await createUser(t, 'dana-admin', 'ADMIN');
    const id = await pendingApproval('clean /demoted');
    const [tab, otherTab] = [await connect(t.url, dana.token), await connect(t.url, dana.token)];
    const closed = [disconnectOf(tab), disconnectOf(otherTab)];

    await t.http().patch(`/api/users/${dana.user.id}`).set(bearer(t.adminToken)).send({ role: 'MEMBER' }).expect(200);
    // Whatever the stale tab sends now is refused or never handled: the server has closed it.
    const attempt = tab
      .timeout(1000)
      .emitWithAck('approval:respond', { id, approved: true, command: 'clean / --all', remember: 'always' })
      .catch(() => null);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await attempt)?.ok ?? 'no answer').not.toBe(true);

    expect((await me(dana.token)).status).toBe(401);
    expect((await refused(t.url, dana.token)).data).toEqual({ code: 'UNAUTHORIZED' });
    expect(await approval(id)).toMatchObject({ status: 'PENDING', command: 'clean /demoted', decidedBy: null });
    expect(await rules()).toEqual([]);

    // Signing in again gives a MEMBER's token and socket.
    const again = await t.login('dana-admin', dana.password);
    expect(again.user.role).toBe('MEMBER');
    const fresh = await connect(t.url, again.accessToken);
    expect(await call(fresh, 'approval:respond', { id, approved: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(custodian.runs.filter((r) => r.args === '/demoted' || r.args === '/ --all')).toHaveLength(0);
  });

  it('decisions re-read the decider: a socket (or token) whose role changed in the database meanwhile cannot approve, edit, make an allow-rule or report as an admin', async () => {
    const frank = await createUser(t, 'frank-admin', 'ADMIN');
    const id = await pendingApproval('purge /reread');
    // The join's own re-check of the account (SocketAuthService.stillCurrent) answers after the client sees
    // `connect`; a change landing before it would close the socket, which is not what this test is about.
    const auth = t.app.get(SocketAuthService);
    const stillCurrent = auth.stillCurrent.bind(auth);
    let reread!: () => void;
    const joinChecked = new Promise<void>((resolve) => (reread = resolve));
    const spy = jest.spyOn(auth, 'stillCurrent').mockImplementationOnce(async (...args) => {
      try {
        return await stillCurrent(...args);
      } finally {
        reread();
      }
    });
    const tab = await connect(t.url, frank.token);
    await joinChecked;
    spy.mockRestore();
    // Straight in the database: no event, no token version bump, so only the re-read can stop it.
    await t.app.get(DataSource).query("UPDATE actors SET role = 'MEMBER' WHERE id = ?", [frank.user.id]);

    const viaSocket = await call(tab, 'approval:respond', {
      id,
      approved: true,
      command: 'purge / --everything',
      remember: 'always',
    });
    expect(viaSocket).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const log = await call(tab, 'log:report', { level: 'INFO', content: 'posing as an admin' });
    expect(log).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const viaRest = await t
      .http()
      .post(`/api/approvals/${id}/decision`)
      .set(bearer(frank.token))
      .send({ approved: true, remember: 'always' });
    expect(viaRest.status).toBe(403);

    await t.app.get(DataSource).query('UPDATE actors SET disabled = 1 WHERE id = ?', [frank.user.id]);
    expect(await call(tab, 'approval:respond', { id, approved: false })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });

    expect(await approval(id)).toMatchObject({ status: 'PENDING', command: 'purge /reread', decidedBy: null });
    expect(await rules()).toEqual([]);
    expect(custodian.runs.filter((r) => r.args?.startsWith('/reread') || r.args === '/ --everything')).toHaveLength(0);
    // The real admin still decides.
    expect(await admin.emit('approval:respond', { id, approved: false, reason: 'not now' })).toMatchObject({
      ok: true,
    });
  });

  it('disabling a user closes their sockets and ends their token for good (re-enabling does not revive it); deleting closes them too', async () => {
    const gina = await createUser(t, 'gina');
    const tab = await connect(t.url, gina.token);
    const closed = disconnectOf(tab);
    await t.http().patch(`/api/users/${gina.user.id}`).set(bearer(t.adminToken)).send({ disabled: true }).expect(200);
    expect(await closed).toBe('io server disconnect');
    expect((await refused(t.url, gina.token)).data).toEqual({ code: 'UNAUTHORIZED' });
    await t.http().patch(`/api/users/${gina.user.id}`).set(bearer(t.adminToken)).send({ disabled: false }).expect(200);
    expect((await me(gina.token)).status).toBe(401);
    expect((await refused(t.url, gina.token)).data).toEqual({ code: 'UNAUTHORIZED' });
    expect((await me((await t.login('gina', gina.password)).accessToken)).status).toBe(200);

    const hugo = await createUser(t, 'hugo');
    const hugoTab = await connect(t.url, hugo.token);
    const gone = disconnectOf(hugoTab);
    await t.http().delete(`/api/users/${hugo.user.id}`).set(bearer(t.adminToken)).expect(204);
    expect(await gone).toBe('io server disconnect');
    expect((await refused(t.url, hugo.token)).data).toEqual({ code: 'UNAUTHORIZED' });
  });

  it('a change committed while a socket is being let in (after the handshake read the account, before the socket joined its rooms) still closes it', async () => {
    const ivy = await createUser(t, 'ivy-admin', 'ADMIN');
    const auth = t.app.get(SocketAuthService);
    const authenticate = auth.authenticate.bind(auth);
    // The demotion lands between the handshake's read and the join: its disconnect finds no socket in the room.
    const spy = jest.spyOn(auth, 'authenticate').mockImplementationOnce(async (token) => {
      const identity = await authenticate(token);
      await t.http().patch(`/api/users/${ivy.user.id}`).set(bearer(t.adminToken)).send({ role: 'MEMBER' }).expect(200);
      return identity;
    });
    try {
      const tab = ioClient(t.url, {
        auth: { token: ivy.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const reason = new Promise<string>((resolve) => tab.once('disconnect', resolve));
      await new Promise<void>((resolve, reject) => {
        tab.once('connect', () => resolve());
        tab.once('connect_error', reject);
      });
      expect(
        await Promise.race([reason, new Promise<string>((r) => setTimeout(() => r('still connected'), 3000))]),
      ).toBe('io server disconnect');
      tab.close();
    } finally {
      spy.mockRestore();
    }
  });

  it('a password reset by an admin closes the sockets and refuses the old token on REST and at the handshake; the new password works', async () => {
    const ida = await createUser(t, 'ida');
    const tab = await connect(t.url, ida.token);
    const closed = disconnectOf(tab);
    await t
      .http()
      .patch(`/api/users/${ida.user.id}`)
      .set(bearer(t.adminToken))
      .send({ password: 'ida-new-pass-1' })
      .expect(200);
    expect(await closed).toBe('io server disconnect');
    const old = await me(ida.token);
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'This session has been ended; sign in again' });
    expect((await refused(t.url, ida.token)).data).toEqual({ code: 'UNAUTHORIZED' });
    const fresh = (await t.login('ida', 'ida-new-pass-1')).accessToken;
    expect((await me(fresh)).status).toBe(200);
    expect((await connect(t.url, fresh)).connected).toBe(true);
  });

  it('POST /api/auth/logout-all ends every token and socket of the caller (others keep theirs) and is audited as user.sessions_revoked', async () => {
    const jo = await createUser(t, 'joan');
    const secondToken = (await t.login('joan', jo.password)).accessToken;
    const kim = await createUser(t, 'kim');
    const tabs = [await connect(t.url, jo.token), await connect(t.url, secondToken)];
    const kimTab = await connect(t.url, kim.token);
    const closed = tabs.map((s) => disconnectOf(s));
    const kimEvents = record(kimTab, 'error');

    await t.http().post('/api/auth/logout-all').set(bearer(jo.token)).expect(204);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    for (const token of [jo.token, secondToken]) {
      expect((await me(token)).status).toBe(401);
      expect((await refused(t.url, token)).data).toEqual({ code: 'UNAUTHORIZED' });
    }
    expect(kimTab.connected).toBe(true);
    expect(kimEvents).toEqual([]);
    expect((await me(kim.token)).status).toBe(200);
    expect((await me((await t.login('joan', jo.password)).accessToken)).status).toBe(200);

    const audit = (await t.http().get('/api/audit?action=user.sessions_revoked').set(bearer(t.adminToken))).body
      .items as AuditEntryDto[];
    expect(audit[0]).toMatchObject({
      action: 'user.sessions_revoked',
      actorId: jo.user.id,
      actorName: 'joan',
      targetType: 'user',
      targetId: jo.user.id,
    });
    // Not for agents: their tokens are rotated by an admin.
    await t.http().post('/api/auth/logout-all').set(bearer(custodian.token)).expect(403);
  });

  it('a token issued before token versions existed (no `tv` claim) counts as version 0: accepted until the account changes', async () => {
    const lee = await createUser(t, 'lee');
    const legacy = await t.app.get(JwtService).signAsync({ sub: lee.user.id, name: 'lee' });
    expect((await me(legacy)).status).toBe(200);
    (await connect(t.url, legacy)).close();
    await t
      .http()
      .patch(`/api/users/${lee.user.id}`)
      .set(bearer(t.adminToken))
      .send({ password: 'lee-new-pass-1' })
      .expect(200);
    expect((await me(legacy)).status).toBe(401);
    expect((await refused(t.url, legacy)).data).toEqual({ code: 'UNAUTHORIZED' });
  });
});

describe('identity: a human socket closes when its JWT expires', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ JWT_EXPIRES_IN: '2s' });
  });
  afterAll(async () => {
    closeAll();
    await t?.close();
  });

  it('gets an `error` TOKEN_EXPIRED and is disconnected at the expiry; an agent socket stays', async () => {
    // The suite's admin token lives 2 s too: a fresh one for the setup below.
    t.adminToken = (await t.login(ADMIN.username, ADMIN.password)).accessToken;
    const { token } = await createUser(t, 'short-lived');
    const agent = await startAgent(t, 'Long-Lived', [], () => null);
    const tab = await connect(t.url, token);
    const errors = record(tab, 'error');
    const started = Date.now();
    expect(await disconnectOf(tab, 4000)).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(errors).toEqual([
      { code: 'TOKEN_EXPIRED', message: expect.any(String), event: 'session' } satisfies SocketErrorEvent,
    ]);
    expect(agent.probe.socket.connected).toBe(true);
    agent.probe.close();
  });
});

(REDIS_URL ? describe : describe.skip)('identity on two nodes (Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Our own channels on a shared Redis: other suites' nodes (same actor ids) must not hear ours.
    a = await startTestApp({ REDIS_URL: REDIS_URL!, REDIS_PREFIX: `ec-identity-${randomBytes(4).toString('hex')}` });
    b = await a.restart();
  });
  afterAll(async () => {
    closeAll();
    await b?.close({ dropDatabase: false });
    await a?.close();
  });

  it('demoting a user on node A closes their socket on node B, and B refuses the old token', async () => {
    const mia = await createUser(a, 'mia-admin', 'ADMIN');
    const onB = await connect(b.url, mia.token);
    const closed = disconnectOf(onB);
    await a.http().patch(`/api/users/${mia.user.id}`).set(bearer(a.adminToken)).send({ role: 'MEMBER' }).expect(200);
    expect(await closed).toBe('io server disconnect');
    expect((await refused(b.url, mia.token)).data).toEqual({ code: 'UNAUTHORIZED' });
  });
});
