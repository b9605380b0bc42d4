import { DrainState } from './drain-state';
import { queuedBytes } from './slow-consumer.guard';
import { isDatabaseUnavailable } from './unavailable';

describe('lifecycle', () => {
  it('waits for in-flight acks, and no longer than asked', async () => {
    const s = new DrainState();
    expect(await s.idle(10)).toBe(0);
    s.started();
    s.started();
    setTimeout(() => s.finished(), 5);
    setTimeout(() => s.finished(), 10);
    expect(await s.idle(1000)).toBe(0);
    s.started();
    const t0 = Date.now();
    expect(await s.idle(30)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('counts what a connection has queued', () => {
    expect(
      queuedBytes({
        writeBuffer: [{ data: 'abc' }, { data: Buffer.alloc(5) }, {}],
        transport: { socket: { bufferedAmount: 10 } },
        close: () => undefined,
      }),
    ).toBe(18);
  });

  it('tells a database outage from a bug', () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isDatabaseUnavailable({ message: 'Query failed', driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Can't add new command when connection is in closed state"))).toBe(true);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
