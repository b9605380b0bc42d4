import { AGENT, AGENT_TOKEN, runProgram, startHub, stopAll } from '../test/helpers';
import type { TestHub } from '../test/test-hub';
import { createSecurityAuditBot, parseWindow } from './agent';

describe('Security-Audit-Bot', () => {
  let hub: TestHub;

  beforeEach(async () => {
    hub = await startHub();
  });

  afterEach(async () => {
    await stopAll();
    await hub.stop();
  });

  const seedSuspiciousLogs = () => {
    for (let i = 0; i < 6; i++)
      hub.addLog({ agentId: 3, agentName: 'weather-sentinel', level: 'ERROR', content: `sensor ${i} offline` });
    for (const ip of ['10.0.0.5', '10.0.0.5', '10.0.0.9']) {
      hub.addLog({
        agentId: null,
        agentName: null,
        level: 'WARNING',
        content: `Login failed for user 'admin' from ${ip}`,
      });
    }
  };

  it('audits on demand through the REST log stream', async () => {
    seedSuspiciousLogs();
    await runProgram(hub, createSecurityAuditBot({ url: hub.url, token: AGENT_TOKEN, pollIntervalMs: 60_000 }));
    const running = hub.runCommand(AGENT.id, 'audit', '15m');
    const result = await running.result;
    const report = JSON.parse(result.result ?? '');
    expect(report).toMatchObject({ window: '15m', summary: '2 suspicious pattern(s) found.' });
    expect(report.findings.map((f: { key: string }) => f.key).sort()).toEqual([
      'error-burst:weather-sentinel',
      'failed-logins:user "admin"',
    ]);
    expect(running.progress()[0]).toMatch(/^Read \d+ log lines from the last 15m$/);
    await expect(hub.runCommand(AGENT.id, 'audit', 'forever').result).resolves.toMatchObject({ ok: false });
  });

  it('raises each finding once as a WARNING while polling, and does not audit its own lines', async () => {
    await runProgram(hub, createSecurityAuditBot({ url: hub.url, token: AGENT_TOKEN, pollIntervalMs: 30 }));
    await hub.waitFor(() => hub.logsOf(AGENT.id).length >= 1, 2_000, 'first poll');
    seedSuspiciousLogs();
    const warnings = () => hub.logsOf(AGENT.id).filter((l) => l.level === 'WARNING');
    await hub.waitFor(() => warnings().length >= 2, 3_000, 'audit warnings');
    await new Promise((r) => setTimeout(r, 300)); // several more polls
    expect(
      warnings()
        .map((l) => l.content)
        .sort(),
    ).toEqual([
      'Audit: 3 failed logins for user "admin" from 10.0.0.5, 10.0.0.9 within 5 min',
      'Audit: Burst of 6 ERROR logs from weather-sentinel within 1 min',
    ]);
  });

  it('skips only its own "Audit:" lines: another agent cannot hide behind the prefix (issue 19, hole 7d)', async () => {
    // A rogue agent prefixes its error burst with "Audit:".
    for (let i = 0; i < 6; i++)
      hub.addLog({ agentId: 3, agentName: 'rogue', level: 'ERROR', content: `Audit: sensor ${i} offline` });
    await runProgram(hub, createSecurityAuditBot({ url: hub.url, token: AGENT_TOKEN, pollIntervalMs: 60_000 }));
    const report = JSON.parse((await hub.runCommand(AGENT.id, 'audit', '15m').result).result ?? '');
    expect(report.findings.map((f: { key: string }) => f.key)).toEqual(['error-burst:rogue']);
    // Its own lines (the same prefix, its own agent id) are still left out.
    for (let i = 0; i < 6; i++)
      hub.addLog({ agentId: AGENT.id, agentName: AGENT.name, level: 'ERROR', content: `Audit: cannot read ${i}` });
    const again = JSON.parse((await hub.runCommand(AGENT.id, 'audit', '15m').result).result ?? '');
    expect(again.findings.map((f: { key: string }) => f.key)).toEqual(['error-burst:rogue']);
  });

  it('says once, as an ERROR, when the hub will not share its logs', async () => {
    await runProgram(hub, createSecurityAuditBot({ url: hub.url, token: 'not-allowed', pollIntervalMs: 30 }));
    await new Promise((r) => setTimeout(r, 300));
    const errors = hub.logsOf(AGENT.id).filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.content).toContain('HTTP 401');
  });

  it('parses audit windows', () => {
    expect(parseWindow('90s')).toBe(90_000);
    expect(parseWindow('15')).toBe(15 * 60_000);
    expect(parseWindow('2h')).toBe(7_200_000);
    expect(() => parseWindow('25h')).toThrow('between 1s and 24h');
  });
});
