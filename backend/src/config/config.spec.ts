import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, durationToSeconds, loadConfig } from './config';

const tmp = () => mkdtempSync(join(tmpdir(), 'echocenter-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: tmp(), ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('logs human-readable lines unless NODE_ENV=production or LOG_FORMAT=json (whether or not stdout is a terminal)', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: 'a-strong-pass' };
    expect(loadConfig({ DATA_DIR: tmp() }).logPretty).toBe(true);
    expect(loadConfig({ DATA_DIR: tmp(), LOG_FORMAT: 'json' }).logPretty).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), ...prod }).logPretty).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), ...prod, LOG_FORMAT: 'pretty' }).logPretty).toBe(true);
    expect(loadConfig({ DATA_DIR: tmp(), LOG_PRETTY: 'false' }).logPretty).toBe(false);
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toEqual([expect.stringContaining('LOG_FORMAT')]);
  });

  it('defaults to the embedded mode with no environment at all', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.db).toMatchObject({ driver: 'sqlite', path: join(dir, 'echocenter.sqlite') });
    expect(c.port).toBe(3000);
    expect(c.jwt.expiresInSeconds).toBe(24 * 3600);
    expect(c.bcryptCost).toBe(12);
    expect(c.admin).toEqual({ username: 'admin', password: 'admin123', isDefaultPassword: true });
    expect(c.fleet).toBe(true);
    expect(c.limits).toMatchObject({
      payloadBytes: 65536,
      textChars: 16384,
      logChars: 8192,
      ratePerSec: 50,
      rateBurst: 100,
    });
  });

  it('generates the JWT secret once into the data dir with mode 0600 and reuses it', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(b.jwt.secret).toBe(a.jwt.secret);
    const file = join(dir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(a.jwt.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DB_DRIVER: 'oracle',
      BCRYPT_COST: '40',
      JWT_EXPIRES_IN: 'forever',
      JWT_SECRET: 'short',
      REDIS_URL: 'http://x',
    });
    expect(problems).toHaveLength(6);
    for (const name of ['PORT', 'DB_DRIVER', 'BCRYPT_COST', 'JWT_EXPIRES_IN', 'JWT_SECRET', 'REDIS_URL']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(() => loadConfig({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(
      /Invalid configuration:\n {2}- PORT="eighty" must be an integer/,
    );
  });

  it('requires a secret and a real database URL where they matter', () => {
    expect(problemsOf({ NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pw' })).toEqual([
      'JWT_SECRET is required when NODE_ENV=production',
    ]);
    expect(problemsOf({ DB_DRIVER: 'mysql' })[0]).toMatch(/^DATABASE_URL is required/);
    expect(problemsOf({ DB_DRIVER: 'mysql', DATABASE_URL: 'mysql://u:secretpw@db:3306/ec' })).toEqual([]);
    expect(problemsOf({ DATABASE_URL: 'postgres://u:secretpw@db/ec' })[0]).not.toContain('secretpw');
    expect(problemsOf({ BUTLER_BASE_URL: 'http://llm:8080/v1' })).toEqual([
      'BUTLER_MODEL is required when BUTLER_BASE_URL is set',
    ]);
  });

  it('uses the environment secret and admin when given', () => {
    const c = loadConfig({
      DATA_DIR: tmp(),
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_PASSWORD: 'a-strong-pass',
      ADMIN_USERNAME: 'root',
    });
    expect(c.jwt.secret).toBe('x'.repeat(40));
    expect(c.admin).toEqual({ username: 'root', password: 'a-strong-pass', isDefaultPassword: false });
    expect(c.fleet).toBe(false);
  });

  it('bounds the shutdown, the drain never longer than the deadline', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).shutdown).toEqual({ timeoutMs: 10000, drainMs: 5000 });
    expect(loadConfig({ DATA_DIR: tmp(), SHUTDOWN_TIMEOUT_MS: '3000', SHUTDOWN_DRAIN_MS: '9000' }).shutdown).toEqual({
      timeoutMs: 3000,
      drainMs: 3000,
    });
    expect(problemsOf({ SHUTDOWN_TIMEOUT_MS: 'soon', SOCKET_MAX_QUEUED_BYTES: '12' })).toHaveLength(2);
    expect(loadConfig({ DATA_DIR: tmp(), SOCKET_MAX_QUEUED_BYTES: '1048576' }).limits.maxQueuedBytes).toBe(1048576);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
  });

  it('parses durations', () => {
    expect(durationToSeconds('24h')).toBe(86400);
    expect(durationToSeconds('15m')).toBe(900);
    expect(durationToSeconds('900')).toBe(900);
    expect(durationToSeconds('1500ms')).toBe(1);
    expect(durationToSeconds('soon')).toBeNull();
  });
  it('keeps metrics and traces off unless asked, and checks their variables', () => {
    const off = loadConfig({ DATA_DIR: tmp() });
    expect(off.metrics).toMatchObject({ enabled: false, token: null, port: null, host: '127.0.0.1' });
    expect(off.tracing.endpoint).toBeNull();
    expect(loadConfig({ DATA_DIR: tmp(), METRICS_PORT: '9464', NODE_NAME: 'n2' }).metrics).toMatchObject({
      enabled: true,
      port: 9464,
      node: 'n2',
    });
    expect(loadConfig({ DATA_DIR: tmp(), METRICS_TOKEN: 't'.repeat(16) }).metrics).toMatchObject({
      enabled: true,
      port: null,
    });
    const problems = problemsOf({
      METRICS_TOKEN: 'short',
      METRICS_PORT: '99999',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      BUTLER_PRICES_PER_1K: 'gpt-4o',
      BUTLER_DAILY_TOKEN_BUDGET: '-5',
    });
    for (const name of [
      'METRICS_TOKEN',
      'METRICS_PORT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'BUTLER_PRICES_PER_1K',
      'BUTLER_DAILY_TOKEN_BUDGET',
    ])
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
  });
});
