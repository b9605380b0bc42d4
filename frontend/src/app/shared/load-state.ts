import { signal, type WritableSignal } from '@angular/core';
import type { Observable, Subscription } from 'rxjs';
import { toUiError } from '../core/api/api-error';

/**
 * What a page shows around its data: `loading` while it is fetched (the "Loading…" row) and `error`, the
 * message of the last failure (the alert), cleared when the user tries something again. One copy of the
 * subscribe/try-catch bookkeeping the settings pages each used to write out.
 */
export interface LoadState {
  readonly loading: WritableSignal<boolean>;
  readonly error: WritableSignal<string | null>;
  /** Subscribes to `source`: each value goes to `next`, then `loading` goes off; a failure's message lands in `error`. */
  load<T>(source: Observable<T>, next: (value: T) => void): Subscription;
  /** Runs a user action with the last error cleared; a failure's message lands in `error`. True when it succeeded. */
  run(action: () => Promise<unknown>): Promise<boolean>;
  /** As `run`, with `loading` on until the action settles. */
  fetch(action: () => Promise<unknown>): Promise<boolean>;
}

/** `loading` starts as given: true for a page that fetches as it opens, so it never flashes "none yet". */
export function loadState(loading = true): LoadState {
  const state: LoadState = {
    loading: signal(loading),
    error: signal<string | null>(null),
    load: (source, next) => {
      state.loading.set(true);
      return source.subscribe({
        next: (value) => {
          next(value);
          state.loading.set(false);
        },
        error: (err: unknown) => {
          state.error.set(toUiError(err).message);
          state.loading.set(false);
        },
      });
    },
    run: async (action) => {
      state.error.set(null);
      try {
        await action();
        return true;
      } catch (err) {
        state.error.set(toUiError(err).message);
        return false;
      }
    },
    fetch: async (action) => {
      state.loading.set(true);
      try {
        return await state.run(action);
      } finally {
        state.loading.set(false);
      }
    },
  };
  return state;
}
