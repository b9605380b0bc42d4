import { ProgressThrottle } from './progress-throttle';

describe('ProgressThrottle', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('passes a burst whole, then at most the rate, keeping only the newest waiting line; flush sends it', () => {
    const sent: string[] = [];
    const throttle = new ProgressThrottle((l) => sent.push(l), 10, 3);
    for (let i = 1; i <= 1000; i++) throttle.push(`progress ${i}`);
    // The burst of 3, then nothing until a slot frees: the other 997 collapse into the newest.
    expect(sent).toEqual(['progress 1', 'progress 2', 'progress 3']);
    jest.advanceTimersByTime(100);
    expect(sent).toEqual(['progress 1', 'progress 2', 'progress 3', 'progress 1000']);

    // A flood over one second reaches the hub at ~10 lines a second.
    sent.length = 0;
    for (let ms = 0; ms < 1000; ms += 1) {
      throttle.push(`tick ${ms}`);
      jest.advanceTimersByTime(1);
    }
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeLessThanOrEqual(11);

    // The last line is never lost: flush sends what still waits, once.
    throttle.push('last');
    throttle.flush();
    expect(sent[sent.length - 1]).toBe('last');
    const count = sent.length;
    jest.advanceTimersByTime(5000);
    throttle.flush();
    expect(sent).toHaveLength(count);
  });

  it('lets slow progress through untouched', () => {
    const sent: string[] = [];
    const throttle = new ProgressThrottle((l) => sent.push(l), 10, 20);
    for (let i = 1; i <= 50; i++) {
      throttle.push(`step ${i}`);
      jest.advanceTimersByTime(250);
    }
    throttle.flush();
    expect(sent).toEqual(Array.from({ length: 50 }, (_, i) => `step ${i + 1}`));
  });
});
