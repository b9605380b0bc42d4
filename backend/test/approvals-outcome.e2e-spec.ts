import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ApprovalDto, ApprovalRequestedEvent, ApprovalUpdatedEvent } from '@echocenter/contracts';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../src/database/migrations';
import { ApprovalOutcome1765000000000 } from '../src/database/migrations/1765000000000-approval-outcome';
import { ask, butlerId, connect, newThread, startAgent, until, type Probe } from './fakes/butler-kit';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/fake-openai';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-db';

const CARD = [
  { name: 'clean', args: '<path>', description: 'deletes temporary files' },
  { name: 'restart', description: 'restarts the service' },
  { name: 'rotate', description: 'rotates the logs' },
];

const toolCall = (command: string) =>
  `[[tool:command_agent ${JSON.stringify({ agentId: 'Storage-Custodian', command, reasoning: 'asked by the operator' })}]]`;

/**
 * How an approved command ended reaches clients as data (`outcome`), so a console words it in its reader's
 * language; the agent's error and the cancel reason stay as written, and `result` keeps the English line.
 */
describe('approval outcome (how its command ended, as data)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: Probe;
  let butler: number;
  let custodian: Awaited<ReturnType<typeof startAgent>>;
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  /** Asks for the command in a new thread and approves it over REST; resolves with the approval's id. */
  async function approved(command: string): Promise<number> {
    const thread = await newThread(t, t.adminToken);
    const reply = await ask(admin, butler, thread, toolCall(command));
    expect(reply.text).toContain('APPROVAL_REQUIRED');
    const requested = await admin.waitFor<ApprovalRequestedEvent>(
      'approval:requested',
      (a) => a.conversationId === thread && a.command === command,
    );
    await t.http().post(`/api/approvals/${requested.id}/decision`).set(auth()).send({ approved: true }).expect(200);
    return requested.id;
  }

  /** The pushed end of the approval, and the same approval as GET /api/approvals/:id answers it. */
  async function ended(id: number): Promise<{ pushed: ApprovalDto; stored: ApprovalDto }> {
    const update = await admin.waitFor<ApprovalUpdatedEvent>(
      'approval:updated',
      (u) => u.id === id && ['SUCCEEDED', 'FAILED', 'TIMED_OUT'].includes(u.status),
    );
    const stored = (await t.http().get(`/api/approvals/${id}`).set(auth()).expect(200)).body as ApprovalDto;
    return { pushed: update.approval!, stored };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await startTestApp({ BUTLER_BASE_URL: fake.url, BUTLER_MODEL: 'fake-butler' });
    admin = await connect(t, t.adminToken);
    butler = await butlerId(t, t.adminToken);
    custodian = await startAgent(t, 'Storage-Custodian', CARD, (run) => {
      if (run.command === 'clean') return { ok: false, error: 'disk is read-only' };
      if (run.command === 'rotate') return { ok: true, result: '{"rotated": 3}' };
      return null; // restart never answers: it is cancelled
    });
  });
  afterAll(async () => {
    admin?.close();
    custodian?.probe.close();
    await t?.close();
    await fake?.close();
  });

  it("a failed command: outcome failed with the agent's error as written; result keeps the English line", async () => {
    const id = await approved('clean /tmp');
    const { pushed, stored } = await ended(id);
    expect(stored).toMatchObject({
      status: 'FAILED',
      outcome: { kind: 'failed', detail: 'disk is read-only' },
      result: 'failed: disk is read-only',
    });
    expect(pushed.outcome).toEqual(stored.outcome);
  });

  it('a cancelled command: outcome cancelled with the reason the person gave', async () => {
    const id = await approved('restart');
    await until(() => custodian.runs.some((r) => r.command === 'restart'), 8000, 'restart to reach the agent');
    const { commandId } = custodian.runs.find((r) => r.command === 'restart')!;
    await t
      .http()
      .post(`/api/commands/${commandId}/cancel`)
      .set(auth())
      .send({ reason: 'changed my mind' })
      .expect(200);
    const { pushed, stored } = await ended(id);
    expect(stored).toMatchObject({
      status: 'FAILED',
      commandId,
      outcome: { kind: 'cancelled', detail: 'changed my mind' },
      result: 'cancelled: changed my mind',
    });
    expect(pushed.outcome).toEqual(stored.outcome);
  });

  it('a command with output: outcome output, the output itself in result, also in the list', async () => {
    const id = await approved('rotate');
    const { stored } = await ended(id);
    expect(stored).toMatchObject({
      status: 'SUCCEEDED',
      outcome: { kind: 'output', detail: null },
      result: '{"rotated": 3}',
    });
    const list = (await t.http().get('/api/approvals').set(auth()).expect(200)).body as { items: ApprovalDto[] };
    expect(list.items.find((a) => a.id === id)?.outcome).toEqual({ kind: 'output', detail: null });
  });
});

describe('migration ApprovalOutcome1765000000000', () => {
  it('gives approvals that already ended the outcome of their command, and leaves the others without one', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource({
      ...dataSourceOptions(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'echocenter-outcome-')), ...db.env })),
      // Every migration before this one (later ones may follow it in the list).
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(ApprovalOutcome1765000000000)),
    });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      const ends: Array<[approval: string, command: string, result: string | null, error: string | null]> = [
        ['FAILED', 'FAILED', null, 'disk is read-only'],
        ['FAILED', 'CANCELLED', null, 'changed my mind'],
        ['FAILED', 'EXPIRED', null, null],
        ['TIMED_OUT', 'TIMED_OUT', null, 'deadline passed'],
        ['SUCCEEDED', 'SUCCEEDED', 'freed 2 GB', null],
        ['SUCCEEDED', 'SUCCEEDED', null, null],
      ];
      for (const [i, [approval, command, result, error]] of ends.entries()) {
        await ds.query(
          `INSERT INTO agent_commands (id, requested_by, agent_id, agent_name, command, status, result, error, deadline)
           VALUES (?, 1, 1, 'Storage-Custodian', 'clean', ?, ?, ?, '2026-01-01 00:00:00')`,
          [i + 1, command, result, error],
        );
        await insertApproval(ds, i + 1, approval, i + 1);
      }
      await insertApproval(ds, 10, 'PENDING', null);
      await insertApproval(ds, 11, 'REJECTED', null);
      const qr = ds.createQueryRunner();
      await new ApprovalOutcome1765000000000().up(qr);
      await qr.release();
      const rows = (await ds.query(
        'SELECT id, outcome_kind AS kind, outcome_detail AS detail FROM approvals ORDER BY id',
      )) as Array<{ id: number; kind: string | null; detail: string | null }>;
      expect(rows.map((r) => [Number(r.id), r.kind, r.detail])).toEqual([
        [1, 'failed', 'disk is read-only'],
        [2, 'cancelled', 'changed my mind'],
        [3, 'expired', null],
        [4, 'timed_out', null],
        [5, 'output', null],
        [6, 'no_output', null],
        [10, null, null],
        [11, null, null],
      ]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});

function insertApproval(ds: DataSource, id: number, status: string, commandId: number | null): Promise<unknown> {
  return ds.query(
    `INSERT INTO approvals (id, requested_by, agent_id, agent_name, command, proposed_command, reasoning, status, command_id, expires_at)
     VALUES (?, 1, 1, 'Storage-Custodian', 'clean', 'clean', 'why', ?, ?, '2026-01-01 00:00:00')`,
    [id, status, commandId],
  );
}
