import { DrainState, drainLimits } from './drain-state';
import { queuedBytes, slowConsumerLimit } from './slow-consumer.guard';
import { isDatabaseUnavailable } from './unavailable';

describe('lifecycle', () => {
  it('reads bounded shutdown limits, the drain never longer than the deadline', () => {
    expect(drainLimits({})).toEqual({ timeoutMs: 10000, drainMs: 5000 });
    expect(drainLimits({ SHUTDOWN_TIMEOUT_MS: '3000', SHUTDOWN_DRAIN_MS: '9000' })).toEqual({ timeoutMs: 3000, drainMs: 3000 });
    expect(drainLimits({ SHUTDOWN_TIMEOUT_MS: 'soon' }).timeoutMs).toBe(10000);
  });

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
    expect(queuedBytes({ writeBuffer: [{ data: 'abc' }, { data: Buffer.alloc(5) }, {}], transport: { socket: { bufferedAmount: 10 } }, close: () => undefined })).toBe(18);
    expect(slowConsumerLimit({})).toBe(8 * 1024 * 1024);
    expect(slowConsumerLimit({ SOCKET_MAX_QUEUED_BYTES: '12' })).toBe(8 * 1024 * 1024);
    expect(slowConsumerLimit({ SOCKET_MAX_QUEUED_BYTES: '1048576' })).toBe(1048576);
  });

  it('tells a database outage from a bug', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable({ message: 'Query failed', driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })).toBe(true);
    expect(isDatabaseUnavailable(new Error("Can't add new command when connection is in closed state"))).toBe(true);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
