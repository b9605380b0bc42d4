/**
 * The chat writer's row-by-row path: with innodb_autoinc_lock_mode=2 (MySQL 8's default) InnoDB does not
 * promise consecutive ids for a multi-row INSERT, so MysqlChatStore writes each batch one row at a time in
 * one transaction. The machine's MariaDB runs mode 1 (the multi-row path every other suite covers), so this
 * suite starts a private MariaDB with mode 2 and MySQL 8.4's sql_mode (drills/lib/services.ts: own datadir,
 * free loopback port, removed afterwards) and boots the real app on it. It runs in the MySQL e2e pass
 * (E2E_DB=mysql, MYSQL_URL set) and skips with one line otherwise or without mariadbd/mariadb-install-db.
 */
import { DataSource } from 'typeorm';
import type { ChatMessageDto } from '@echocenter/contracts';
import { MARIADB_INSTALL_DB, MARIADBD, privateMariadb, type PrivateServer } from '../../drills/lib/services';
import { ChatService } from '../src/chat/chat.service';
import { createUser, registerAgent, startTestApp, type TestApp } from './support/test-app';
import { call, closeAll, connect, record, sleep, type ClientSocket } from './support/sockets';

/** MySQL 8.4's defaults where they differ from MariaDB's and matter here. */
const MYSQL8_LIKE = [
  '--innodb-autoinc-lock-mode=2',
  '--sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
];
const SENDERS = 6;
const PER_SENDER = 50;
/** Every RESEND_EVERY-th message of a sender is sent again at once from its second socket. */
const RESEND_EVERY = 5;

function skipReason(): string | null {
  if (process.env.E2E_DB !== 'mysql' || !process.env.MYSQL_URL)
    return 'it runs in the MySQL e2e pass (E2E_DB=mysql, MYSQL_URL set)';
  if (!MARIADBD || !MARIADB_INSTALL_DB)
    return 'mariadbd / mariadb-install-db not found (apt-get install mariadb-server)';
  return null;
}

const why = skipReason();
if (why) process.stdout.write(`row-by-row chat path suite skipped: ${why}\n`);
const suite = why ? describe.skip : describe;

suite('chat on the row-by-row insert path (private MariaDB, innodb_autoinc_lock_mode=2)', () => {
  let server: PrivateServer | undefined;
  let t: TestApp | undefined;
  let ops: Awaited<ReturnType<typeof createUser>>;
  let agents: { id: number; token: string }[];

  beforeAll(async () => {
    server = await privateMariadb(MYSQL8_LIKE);
    t = await startTestApp({ SOCKET_RATE_PER_SEC: '10000', SOCKET_RATE_BURST: '10000' }, { mysqlUrl: server.url });
    ops = await createUser(t, 'ops');
    agents = [];
    for (let i = 0; i < SENDERS; i++) agents.push(await registerAgent(t, `row-path-${i}`));
  }, 45_000);

  afterAll(async () => {
    closeAll();
    try {
      await t?.close();
    } finally {
      await server?.destroy();
    }
  });

  const app = () => t!;
  const stats = () => app().app.get(ChatService).insertStats();
  const query = <T>(sql: string, params: unknown[] = []) =>
    app().app.get(DataSource).query(sql, params) as Promise<T[]>;

  it('runs on a server with lock mode 2 and MySQL 8.4 sql_mode, datetime(3) columns, and the store chose the row-by-row path', async () => {
    const [vars] = await query<{ lockMode: number; sqlMode: string }>(
      'SELECT @@innodb_autoinc_lock_mode AS lockMode, @@sql_mode AS sqlMode',
    );
    expect(Number(vars.lockMode)).toBe(2);
    expect(vars.sqlMode).toContain('ONLY_FULL_GROUP_BY');
    const [col] = await query<{ precision: number }>(
      "SELECT DATETIME_PRECISION AS `precision` FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'chat_messages' AND COLUMN_NAME = 'created_at'",
    );
    expect(Number(col.precision)).toBe(3);
    expect(stats().path).toBeNull(); // decided on the first batch
    const a = await connect(app().url, agents[0].token);
    const ack = await call(a, 'chat:send', { targetId: ops.user.id, text: 'first', localId: 'first' });
    expect(ack.ok).toBe(true);
    expect(stats()).toEqual({
      path: 'row-by-row',
      batches: { 'multi-row': 0, 'row-by-row': 1 },
      rows: { 'multi-row': 0, 'row-by-row': 1 },
    });
    const stored = await app()
      .http()
      .get(`/api/chat/${agents[0].id}/messages`)
      .set('authorization', `Bearer ${ops.token}`);
    expect(stored.body.items).toEqual([ack.message]); // createdAt with its milliseconds, as acked
  });

  it("concurrent senders: each message stored once (resends by localId get the stored row), ids in each sender's order and in arrival order, pushed in id order", async () => {
    const before = stats();
    const receiver = await connect(app().url, ops.token);
    const pushed = record(receiver, 'chat:message');
    const sockets: [ClientSocket, ClientSocket][] = [];
    for (const a of agents) sockets.push([await connect(app().url, a.token), await connect(app().url, a.token)]);

    const started = Date.now();
    // All at once: every sender's messages from its first socket and, meanwhile, every RESEND_EVERY-th of
    // them again from its second socket, so duplicates land in the same batch or in a later one.
    const sends = agents.map((_, s) => {
      const [main, second] = sockets[s];
      const msgs = Array.from({ length: PER_SENDER }, (_, n) => ({
        targetId: ops.user.id,
        text: `s${s} n${n}`,
        localId: `s${s}-${n}`,
      }));
      const primary = Promise.all(msgs.map((m) => call(main, 'chat:send', m)));
      const resent = Promise.all(
        msgs.filter((_, n) => n % RESEND_EVERY === 0).map((m) => call(second, 'chat:send', m)),
      );
      return Promise.all([primary, resent]);
    });
    const results = await Promise.all(sends);
    // And once more after everything committed: a resend of an old message is answered from the table.
    const late = await Promise.all(
      sockets.map(([, second], s) =>
        call(second, 'chat:send', { targetId: ops.user.id, text: `s${s} n1`, localId: `s${s}-1` }),
      ),
    );
    const elapsed = Date.now() - started;

    const all = [...results.flatMap(([primary, resent]) => [...primary, ...resent]), ...late];
    expect(all.filter((r) => !r.ok)).toEqual([]);
    const byLocal = new Map<string, ChatMessageDto[]>();
    for (const r of all) byLocal.set(r.message.localId, [...(byLocal.get(r.message.localId) ?? []), r.message]);
    expect(byLocal.size).toBe(SENDERS * PER_SENDER);
    // Dedupe: every ack of one localId carries the same stored row.
    for (const acks of byLocal.values()) for (const m of acks) expect(m).toEqual(acks[0]);
    const rows = [...byLocal.values()].map((acks) => acks[0]).sort((x, y) => x.id - y.id);
    expect(new Set(rows.map((m) => m.id)).size).toBe(rows.length);

    // Stored once each, in the table itself.
    const counts = await query<{ n: number; distinctLocal: number }>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT sender_id, local_id) AS distinctLocal FROM chat_messages WHERE target_id = ? AND local_id LIKE ?',
      [ops.user.id, 's%-%'],
    );
    expect(counts.map((c) => [Number(c.n), Number(c.distinctLocal)])).toEqual([
      [SENDERS * PER_SENDER, SENDERS * PER_SENDER],
    ]);

    // Each sender's own order: messages only its first socket sent get increasing ids in send order.
    results.forEach(([primary]) => {
      const ids = primary.filter((_, n) => n % RESEND_EVERY !== 0).map((r) => r.message.id as number);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });
    // Arrival order across senders: the server stamps createdAt as a message joins the writer's queue, so
    // ordered by id the stamps never go back.
    const stamps = rows.map((m) => new Date(m.createdAt).getTime());
    expect(stamps).toEqual([...stamps].sort((x, y) => x - y));

    // The receiver got every row live, new rows in id order (a resend pushes its row again, an older id).
    await sleep(200);
    const firstSeen: number[] = [];
    for (const m of pushed) if (!firstSeen.includes(m.id)) firstSeen.push(m.id);
    expect(firstSeen).toEqual(rows.map((m) => m.id));

    // All of it went row by row, in batches that carried several rows (the order inside a batch was at stake).
    const after = stats();
    const batches = after.batches['row-by-row'] - before.batches['row-by-row'];
    const written = after.rows['row-by-row'] - before.rows['row-by-row'];
    expect(after.path).toBe('row-by-row');
    expect(after.batches['multi-row']).toBe(0);
    expect(written).toBeGreaterThanOrEqual(SENDERS * PER_SENDER);
    expect(batches).toBeLessThan(written);
    process.stdout.write(
      `row-by-row path: ${all.length} sends from ${SENDERS * 2} sockets, ${written} rows in ${batches} batches, ${elapsed} ms\n`,
    );
  });
});
