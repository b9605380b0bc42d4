import { statSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FleetService, displayName } from '../src/fleet/fleet.service';
import { startTestApp, type TestApp } from './support/test-app';

const catalog = {
  FLEET_AGENTS: ['storage-custodian', 'code-reviewer-ai'] as const,
  FLEET_DESCRIPTIONS: { 'storage-custodian': 'files', 'code-reviewer-ai': 'reviews' } as Record<string, string>,
};

describe('demo fleet provisioning', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const agents = async () => (await t.http().get('/api/agents').set('authorization', `Bearer ${t.adminToken}`)).body as Array<{ name: string; tokenRotatedAt: string | null; description: string }>;

  it('registers missing agents, keeps their tokens in a 0600 file, and reuses them', async () => {
    const fleet = t.app.get(FleetService);
    const first = await fleet.provision(catalog);
    expect(first.map((s) => s.program)).toEqual(['storage-custodian', 'code-reviewer-ai']);
    const file = join(t.config.dataDir, 'fleet-tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'storage-custodian': first[0].token, 'code-reviewer-ai': first[1].token });
    expect((await agents()).map((a) => a.name)).toEqual(['Storage-Custodian', 'Code-Reviewer-AI']);

    const again = await fleet.provision(catalog);
    expect(again).toEqual(first);
    expect((await agents()).every((a) => a.tokenRotatedAt === null)).toBe(true);

    const ok = await t.http().post('/api/logs').set('authorization', `Bearer ${again[0].token}`).send({ level: 'INFO', content: 'up' });
    expect(ok.status).toBe(201);
    expect(ok.body.agentName).toBe('Storage-Custodian');
  });

  it('rotates a token it no longer holds instead of failing', async () => {
    const fleet = t.app.get(FleetService);
    const before = await fleet.provision(catalog);
    rmSync(join(t.config.dataDir, 'fleet-tokens.json'));
    const after = await fleet.provision(catalog);
    expect(after[0].token).not.toBe(before[0].token);
    expect((await t.http().post('/api/logs').set('authorization', `Bearer ${before[0].token}`).send({ level: 'INFO', content: 'x' })).status).toBe(401);
    expect((await agents()).every((a) => a.tokenRotatedAt !== null)).toBe(true);
    expect((await agents())).toHaveLength(2);
  });

  it('names agents the way operators read them', () => {
    expect(displayName('code-reviewer-ai')).toBe('Code-Reviewer-AI');
    expect(displayName('echo-bot')).toBe('Echo-Bot');
  });
});
