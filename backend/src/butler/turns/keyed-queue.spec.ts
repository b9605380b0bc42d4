import { KeyedQueue } from './keyed-queue';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs one key in order and different keys concurrently', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([q.run(1, job('a1', 30)), q.run(1, job('a2', 1)), q.run(2, job('b1', 5))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(q.size).toBe(0);
  });

  it('keeps going after a failed job', async () => {
    const q = new KeyedQueue();
    await expect(q.run(1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let ran = false;
    await q.run(1, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
