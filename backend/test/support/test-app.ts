import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type { LoginResponse } from '@echocenter/contracts';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { createTestDatabase, type TestDatabase } from './test-db';

export const ADMIN = { username: 'admin', password: 'admin-pass-123' };

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> — for Socket.IO clients. */
  url: string;
  http: () => ReturnType<typeof request>;
  adminToken: string;
  login(username: string, password: string): Promise<LoginResponse>;
  /** Stops the app; keeps the database unless `dropDatabase` (the default at the end of a suite). */
  close(opts?: { dropDatabase?: boolean }): Promise<void>;
  /** Starts a second app on the same database and data dir (a restart or another node). */
  restart(): Promise<TestApp>;
}

interface Shared {
  dataDir: string;
  db: TestDatabase;
  env: Record<string, string>;
  logDestination?: DestinationStream;
}

/**
 * The real application on a free loopback port, a fresh data dir and a fresh database (on `mysqlUrl`
 * when given, else as E2E_DB says). `logDestination` receives the app's log lines (set LOG_LEVEL in `env`).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { mysqlUrl?: string; logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'echocenter-e2e-'));
  const db = await createTestDatabase(opts);
  return boot({ dataDir, db, env, logDestination: opts.logDestination });
}

async function boot(shared: Shared): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: shared.dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    FLEET: 'off',
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_IP_RATE_LIMIT: '1000',
    FRONTEND_DIR: join(shared.dataDir, 'no-console'),
    ...shared.db.env,
    ...shared.env,
  });
  const app = await createApp(config, { logDestination: shared.logDestination });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    // A refused start (e.g. production without ADMIN_PASSWORD) must not leak pools or databases.
    await app.close().catch(() => undefined);
    await shared.db.drop();
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const http = () => request(app.getHttpServer());
  const login = async (username: string, password: string): Promise<LoginResponse> => {
    const res = await http().post('/api/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as LoginResponse;
  };
  const adminToken = (await login(ADMIN.username, ADMIN.password)).accessToken;
  let closed = false;
  const close = async (opts: { dropDatabase?: boolean } = {}) => {
    if (!closed) {
      closed = true;
      await app.close();
    }
    if (opts.dropDatabase ?? true) {
      await shared.db.drop();
      rmSync(shared.dataDir, { recursive: true, force: true });
    }
  };
  return { app, config, url, http, adminToken, login, close, restart: () => boot(shared) };
}

/** Creates a user through the API and returns a token for it. */
export async function createUser(
  t: TestApp,
  username: string,
  role: 'ADMIN' | 'MEMBER' = 'MEMBER',
  password = 'member-pass-123',
) {
  const res = await t
    .http()
    .post('/api/users')
    .set('authorization', `Bearer ${t.adminToken}`)
    .send({ username, password, role });
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { accessToken } = await t.login(username, password);
  return { user: res.body as { id: number; username: string }, token: accessToken, password };
}

/** Registers an agent and returns its id and raw token. */
export async function registerAgent(t: TestApp, name: string) {
  const res = await t.http().post('/api/agents').set('authorization', `Bearer ${t.adminToken}`).send({ name });
  if (res.status !== 201) throw new Error(`register agent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.agent.id as number, token: res.body.token as string };
}

/** An admin confirms an agent's read-only claim for a command through the REST API (the card alone no longer suffices). */
export async function confirmReadOnly(t: TestApp, agentId: number, command: string): Promise<void> {
  const res = await t
    .http()
    .put(`/api/agents/${agentId}/policies/${encodeURIComponent(command)}`)
    .set('authorization', `Bearer ${t.adminToken}`)
    .send({ readOnly: true });
  if (res.status !== 200)
    throw new Error(`confirm read-only ${command} failed: ${res.status} ${JSON.stringify(res.body)}`);
}
