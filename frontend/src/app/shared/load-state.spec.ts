import { HttpErrorResponse } from '@angular/common/http';
import { Subject } from 'rxjs';
import { loadState } from './load-state';

const refused = (message: string) =>
  new HttpErrorResponse({ status: 409, error: { statusCode: 409, code: 'CONFLICT', message } });

describe('loadState', () => {
  it('starts loading unless told otherwise', () => {
    expect(loadState().loading()).toBe(true);
    expect(loadState(false).loading()).toBe(false);
    expect(loadState().error()).toBeNull();
  });

  it('load: loading until the source answers, the value handed on', () => {
    const state = loadState(false);
    const source = new Subject<string[]>();
    const seen: string[][] = [];
    state.load(source, (v) => seen.push(v));
    expect(state.loading()).toBe(true);
    source.next(['a']);
    expect(seen).toEqual([['a']]);
    expect(state.loading()).toBe(false);
    expect(state.error()).toBeNull();
  });

  it("load: a failure's message in error, loading off", () => {
    const state = loadState();
    const source = new Subject<string[]>();
    const next = jest.fn();
    state.load(source, next);
    source.error(refused('the hub said no'));
    expect(state.error()).toBe('the hub said no');
    expect(state.loading()).toBe(false);
    expect(next).not.toHaveBeenCalled();
  });

  it("run: clears the last error, keeps a failure's message, and says whether it worked", async () => {
    const state = loadState(false);
    state.error.set('old trouble');
    let seenError: string | null = 'unset';
    expect(await state.run(async () => void (seenError = state.error()))).toBe(true);
    expect(seenError).toBeNull();
    expect(await state.run(() => Promise.reject(refused('name taken')))).toBe(false);
    expect(state.error()).toBe('name taken');
    expect(await state.run(() => Promise.reject(new Error('offline')))).toBe(false);
    expect(state.error()).toBe('offline');
    expect(state.loading()).toBe(false);
  });

  it('fetch: loading while the action runs, off again whether it worked or not', async () => {
    const state = loadState(false);
    let during = false;
    expect(await state.fetch(async () => void (during = state.loading()))).toBe(true);
    expect(during).toBe(true);
    expect(state.loading()).toBe(false);
    expect(await state.fetch(() => Promise.reject(refused('gone')))).toBe(false);
    expect(state.loading()).toBe(false);
    expect(state.error()).toBe('gone');
  });
});
