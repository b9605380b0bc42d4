import type { LogDto } from '@echocenter/contracts';
import { analyzeLogs } from './analyzer';

let nextId = 1;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, seconds)).toISOString();
const log = (
  level: LogDto['level'],
  content: string,
  seconds: number,
  agentName: string | null = 'storage-custodian',
): LogDto => ({
  id: nextId++,
  agentId: agentName ? 7 : null,
  agentName,
  level,
  content,
  createdAt: at(seconds),
});

describe('log analysis', () => {
  it('reports a burst of errors from one source, not errors spread out over time', () => {
    const burst = [0, 5, 10, 15, 20].map((s) => log('ERROR', 'disk read failed', s));
    const spread = [0, 100, 200, 300, 400].map((s) => log('ERROR', 'sensor glitch', s, 'weather-sentinel'));
    const findings = analyzeLogs([...spread, ...burst]);
    expect(findings).toEqual([
      expect.objectContaining({
        key: 'error-burst:storage-custodian',
        count: 5,
        firstAt: at(0),
        lastAt: at(20),
        message: 'Burst of 5 ERROR logs from storage-custodian within 1 min',
      }),
    ]);
  });

  it('groups failed logins by user and names the addresses', () => {
    const logs = [
      log('WARNING', "Login failed for user 'admin' from 10.0.0.5", 0, null),
      log('WARNING', 'invalid credentials for admin from 10.0.0.6', 30, null),
      log('WARNING', 'authentication failed: username=admin', 60, null),
      log('WARNING', "Login failed for user 'bob' from 10.0.0.7", 61, null),
    ];
    const [finding, ...rest] = analyzeLogs(logs);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'failed-logins', subject: 'user "admin"', count: 3 });
    expect(finding!.message).toBe('3 failed logins for user "admin" from 10.0.0.5, 10.0.0.6 within 5 min');
  });

  it('notices attempts to reach outside allowed paths', () => {
    const findings = analyzeLogs([
      log('WARNING', 'Refused get_file "../../etc/passwd" requested by eve: outside the storage folder', 0),
    ]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'path-probe', subject: 'storage-custodian', count: 1 })]);
  });

  it('stays quiet on ordinary traffic', () => {
    expect(
      analyzeLogs([
        log('INFO', 'Storage: 8 files', 0),
        log('ERROR', 'one error', 1),
        log('SUCCESS', 'login ok for admin', 2),
      ]),
    ).toEqual([]);
  });
});
