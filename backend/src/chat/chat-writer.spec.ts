import type { ChatMessage } from './chat-message.entity';
import { ChatWriter, type BatchPacing, type WriteResult } from './chat-writer';
import { InsertCounter, type ChatStore, type InsertStats, type NewChatMessage } from './store/chat-store';

/** An in-memory store with the real contract: ids in order, duplicates per (senderId, localId). */
class MemoryStore implements ChatStore {
  rows: ChatMessage[] = [];
  batches: number[] = [];
  failNext = false;
  onInsert: () => void = () => undefined;

  async insertMany(rows: NewChatMessage[]): Promise<(number | 'duplicate')[]> {
    this.onInsert();
    await new Promise((r) => setTimeout(r, 1));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.batches.push(rows.length);
    return rows.map((m) => {
      if (m.localId && this.rows.some((r) => r.senderId === m.senderId && r.localId === m.localId)) return 'duplicate';
      const row = { ...m, id: this.rows.length + 1 };
      this.rows.push(row);
      return row.id;
    });
  }

  async findByLocalId(senderId: number, localId: string): Promise<ChatMessage | null> {
    return this.rows.find((r) => r.senderId === senderId && r.localId === localId) ?? null;
  }

  stats(): InsertStats {
    return new InsertCounter().stats('multi-row');
  }
}

const msg = (text: string, localId: string | null = null, senderId = 1): NewChatMessage => ({
  senderId,
  senderName: 'a',
  senderKind: 'AGENT',
  targetId: 2,
  conversationId: null,
  localId,
  streamId: null,
  text,
  createdAt: new Date(),
  turnNode: null,
  replyTo: null,
});

const SQLITE: BatchPacing = { windowMs: 2, busyPerSecond: 1000 };
const MYSQL: BatchPacing = { windowMs: 0, busyPerSecond: 200 };

/** Makes a writer busy: a burst of more than `busyPerSecond` allows in one 20 ms bucket. */
async function burst(writer: ChatWriter, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => writer.write(msg(`burst ${i}`))));
  await writer.idle();
}

describe('ChatWriter', () => {
  it('groups what arrives together into one batch and resolves in arrival order', async () => {
    const store = new MemoryStore();
    const writer = new ChatWriter(store, MYSQL);
    const results = await Promise.all(['a', 'b', 'c'].map((t) => writer.write(msg(t))));
    expect(results.map((r) => [r.row.id, r.row.text, r.created])).toEqual([
      [1, 'a', true],
      [2, 'b', true],
      [3, 'c', true],
    ]);
    expect(store.batches).toEqual([3]);
  });

  it.each([
    ['SQLite (a window)', SQLITE],
    ['MySQL (no window, a round trip)', MYSQL],
  ])(
    '%s: while quiet, starts writing a lone message in the same turn of the event loop, not after its next round',
    async (_name, pacing) => {
      const store = new MemoryStore();
      const writer = new ChatWriter(store, pacing);
      const order: string[] = [];
      store.onInsert = () => order.push('insert');
      setImmediate(() => order.push('next round'));
      await writer.write(msg('a'));
      // The store's 1 ms write may end before or after that round: the order of the two pushes is the point.
      await new Promise((r) => setImmediate(r));
      expect(order).toEqual(['insert', 'next round']);
    },
  );

  it('without a window, once busy, waits for the loop’s next round so one batch carries what arrives before it', async () => {
    const store = new MemoryStore();
    const writer = new ChatWriter(store, MYSQL);
    // One busy bucket for the whole test, however slow the machine (the writer counts arrivals by this clock).
    const clock = jest.spyOn(performance, 'now').mockReturnValue(1000);
    try {
      await burst(writer, 5);
      const first = writer.write(msg('a'));
      const second = new Promise<WriteResult>((resolve) => queueMicrotask(() => resolve(writer.write(msg('b')))));
      await Promise.all([first, second]);
      expect(store.batches).toEqual([5, 2]);
    } finally {
      clock.mockRestore();
    }
  });

  it('collects what arrives while a batch is in flight into the next one', async () => {
    const store = new MemoryStore();
    const writer = new ChatWriter(store, MYSQL);
    const first = writer.write(msg('1'));
    await new Promise((r) => setImmediate(r));
    const later = Promise.all([writer.write(msg('2')), writer.write(msg('3'))]);
    await Promise.all([first, later]);
    expect(store.batches).toEqual([1, 2]);
  });

  it('resolves a duplicate localId to the stored row, also inside one batch, without failing the others', async () => {
    const store = new MemoryStore();
    const writer = new ChatWriter(store, MYSQL);
    const [a, b, c] = await Promise.all([
      writer.write(msg('x', 'L1')),
      writer.write(msg('y', 'L1')),
      writer.write(msg('z')),
    ]);
    expect(a).toMatchObject({ created: true, row: { id: 1, text: 'x' } });
    expect(b).toMatchObject({ created: false, row: { id: 1, text: 'x' } });
    expect(c).toMatchObject({ created: true, row: { id: 2 } });
    // The same localId from another sender is another message.
    expect((await writer.write(msg('w', 'L1', 9))).created).toBe(true);
  });

  it('rejects every message of a failed batch and keeps working', async () => {
    const store = new MemoryStore();
    const writer = new ChatWriter(store, MYSQL);
    store.failNext = true;
    const failed = await Promise.allSettled([writer.write(msg('a')), writer.write(msg('b'))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await writer.write(msg('c'))).row.id).toBe(1);
    await writer.idle();
  });

  it('waits windowMs for company while messages keep coming, and writes at once when they are few', async () => {
    // The writer's busy buckets read this clock: moved by hand, so a slow machine cannot move a message
    // into another bucket. The windows themselves are real timers.
    let now = 1000;
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    const pause = async (ms: number) => {
      now += ms;
      await new Promise((r) => setTimeout(r, ms));
    };
    try {
      const store = new MemoryStore();
      const writer = new ChatWriter(store, { windowMs: 20, busyPerSecond: 1000 });
      // Few arrivals: a message and another 5 ms later are written one by one, without a window.
      const first = writer.write(msg('1'));
      await pause(5);
      await Promise.all([first, writer.write(msg('2'))]);
      expect(store.batches).toEqual([1, 1]);
      // A burst of more than twenty messages per 20 ms: now the next message waits, and company joins it.
      await Promise.all(Array.from({ length: 22 }, (_, i) => writer.write(msg(`b${i}`))));
      await writer.idle();
      now += 2;
      const waiting = writer.write(msg('3'));
      await pause(5);
      await Promise.all([waiting, writer.write(msg('4'))]);
      expect(store.batches).toEqual([1, 1, 22, 2]);
      // Two quiet buckets later the writer is quiet again.
      await pause(450);
      const fifth = writer.write(msg('5'));
      await pause(5);
      await Promise.all([fifth, writer.write(msg('6'))]);
      expect(store.batches).toEqual([1, 1, 22, 2, 1, 1]);
    } finally {
      clock.mockRestore();
    }
  });
});
