import { Logger } from '@nestjs/common';
import { DeadlineSweeper } from './deadline-sweeper';

/** A sweeper whose rounds the test opens and closes by hand. */
class HeldSweeper extends DeadlineSweeper {
  rounds = 0;
  fail = false;
  private release: (() => void) | null = null;

  constructor(intervalMs: number) {
    super('HeldSweeper', intervalMs);
  }

  protected sweep(): Promise<void> {
    this.rounds++;
    if (this.fail) return Promise.reject(new Error('db gone'));
    return new Promise((resolve) => (this.release = resolve));
  }

  finishRound(): void {
    this.release?.();
    this.release = null;
  }
}

describe('DeadlineSweeper', () => {
  afterEach(() => jest.restoreAllMocks());

  it('never doubles a round still running, and starts the next once it ends', async () => {
    const s = new HeldSweeper(1000);
    const first = s.tick();
    await s.tick();
    expect(s.rounds).toBe(1);
    s.finishRound();
    await first;
    const second = s.tick();
    expect(s.rounds).toBe(2);
    s.finishRound();
    await second;
  });

  it('logs a failed round without throwing, and sweeps again on the next tick', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const s = new HeldSweeper(1000);
    s.fail = true;
    await expect(s.tick()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('sweep failed: db gone');
    await s.tick();
    expect(s.rounds).toBe(2);
  });

  it('sweeps on its interval from bootstrap and stops when the module is destroyed', async () => {
    jest.useFakeTimers();
    try {
      const s = new HeldSweeper(20);
      s.fail = true;
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      s.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(19);
      expect(s.rounds).toBe(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(s.rounds).toBe(1);
      await jest.advanceTimersByTimeAsync(40);
      expect(s.rounds).toBe(3);
      s.onModuleDestroy();
      await jest.advanceTimersByTimeAsync(200);
      expect(s.rounds).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
