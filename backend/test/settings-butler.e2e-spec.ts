import { randomBytes } from 'node:crypto';
import type { ApprovalDto } from '@echocenter/contracts';
import { ask, butlerId, connect, newThread, startAgent, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { confirmReadOnly, startTestApp, type TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL;
// Our own channels on a shared Redis: other suites' nodes (same actor and thread ids) must not hear ours.
const uniquePrefix = () => `ec-settings-${randomBytes(4).toString('hex')}`;

/** The settings as the Butler and the approvals live by them: no restart between the changes below. */
describe('runtime settings drive the Butler', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let thread: number;
  const patch = (app: TestApp, body: object) =>
    app.http().patch('/api/settings').set('authorization', `Bearer ${app.adminToken}`).send(body);
  const brain = async (app: TestApp) =>
    (await app.http().get('/api/butler').set('authorization', `Bearer ${app.adminToken}`)).body.brain as string;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp(REDIS_URL ? { REDIS_URL, REDIS_PREFIX: uniquePrefix() } : {});
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    thread = await newThread(t, t.adminToken);
  });
  afterAll(async () => {
    admin?.close();
    await t?.close();
    await fake?.close();
  });

  it('switches from the offline brain to a model endpoint on the next message, and back', async () => {
    expect(await brain(t)).toBe('offline');
    expect((await ask(admin, butler, thread, 'hello butler')).text).toContain('offline mode');

    expect(
      (await patch(t, { butler: { baseUrl: fake.url, model: 'fake-butler', apiKey: 'sk-switch-test-123456' } })).status,
    ).toBe(200);
    expect(await brain(t)).toBe('fake-butler');
    expect((await ask(admin, butler, thread, 'hello model')).text).toBe('You said: hello model');
    expect(fake.requests.at(-1)?.model).toBe('fake-butler');

    expect((await patch(t, { butler: { baseUrl: null, model: null, apiKey: null } })).status).toBe(200);
    expect(await brain(t)).toBe('offline');
    expect((await ask(admin, butler, thread, 'hello again')).text).toContain('offline mode');
  });

  it('names the offline brain while a model is set without a base URL, since that is the brain answering', async () => {
    try {
      expect((await patch(t, { butler: { baseUrl: null, model: 'half-configured' } })).status).toBe(200);
      expect(await brain(t)).toBe('offline');
      expect((await ask(admin, butler, thread, 'who answers?')).text).toContain('offline mode');
    } finally {
      await patch(t, { butler: { model: null } });
    }
  });

  it('applies the approval policy and TTL to the next command', async () => {
    const agent = await startAgent(t, 'Settings-Probe', [{ name: 'get_status', readOnly: true }], () => ({
      ok: true,
      result: 'fine',
    }));
    await confirmReadOnly(t, agent.id, 'get_status');
    try {
      expect((await ask(admin, butler, thread, 'ask Settings-Probe to get_status')).text).toContain(
        'answered "get_status"',
      );
      expect(agent.runs).toHaveLength(1);

      expect((await patch(t, { approvals: { policy: 'always', ttlMs: 120000 } })).status).toBe(200);
      expect((await ask(admin, butler, thread, 'ask Settings-Probe to get_status')).text).toContain(
        'needs a human approval first',
      );
      expect(agent.runs).toHaveLength(1);
      const pending = await t
        .http()
        .get('/api/approvals?status=PENDING')
        .set('authorization', `Bearer ${t.adminToken}`);
      const approval = pending.body.items[0] as ApprovalDto;
      expect(approval).toMatchObject({ command: 'get_status', agentName: 'Settings-Probe' });
      expect(Date.parse(approval.expiresAt) - Date.parse(approval.createdAt)).toBeGreaterThan(119_000);
      expect(Date.parse(approval.expiresAt) - Date.parse(approval.createdAt)).toBeLessThan(121_000);
    } finally {
      agent.probe.close();
      await patch(t, { approvals: { policy: null, ttlMs: null } });
    }
  });

  (REDIS_URL ? it : it.skip)('a change made on one node reaches the Butler on another', async () => {
    const b = await t.restart();
    const onB = await connect(b, b.adminToken);
    try {
      expect((await patch(t, { butler: { baseUrl: fake.url, model: 'fake-butler' } })).status).toBe(200);
      // Node b learns of the change through the adapter; its next turn uses the model.
      const deadline = Date.now() + 5000;
      while ((await brain(b)) !== 'fake-butler' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect((await ask(onB, butler, thread, 'via node b')).text).toBe('You said: via node b');
    } finally {
      onB.close();
      await b.close({ dropDatabase: false });
    }
  });

  if (!REDIS_URL)
    process.stdout.write(
      'settings-butler: the two-node Butler switch is skipped: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)\n',
    );
});
