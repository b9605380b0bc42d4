import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { APP_STORAGE } from '../auth/session-storage';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'ec.theme';
const QUERY = '(prefers-color-scheme: dark)';

/** Light/dark theme; follows the operating system until the operator picks one, then remembers it. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly storage = inject(APP_STORAGE);
  private readonly doc = inject(DOCUMENT);
  private readonly media = this.doc.defaultView?.matchMedia?.(QUERY) ?? null;
  private readonly systemDark = signal(this.media?.matches ?? false);
  private readonly pref = signal<ThemePreference>(parsePref(this.storage.getItem(KEY)));

  readonly preference = this.pref.asReadonly();
  readonly theme = computed<Theme>(() => {
    const p = this.pref();
    return p === 'system' ? (this.systemDark() ? 'dark' : 'light') : p;
  });

  constructor() {
    const onChange = (e: MediaQueryListEvent) => this.systemDark.set(e.matches);
    this.media?.addEventListener?.('change', onChange);
    inject(DestroyRef).onDestroy(() => this.media?.removeEventListener?.('change', onChange));
    effect(() => {
      this.doc.documentElement.dataset['theme'] = this.theme();
    });
  }

  setPreference(pref: ThemePreference): void {
    this.pref.set(pref);
    if (pref === 'system') this.storage.removeItem(KEY);
    else this.storage.setItem(KEY, pref);
  }

  /** Flips to the opposite of what is shown now, pinning the choice. */
  toggle(): void {
    this.setPreference(this.theme() === 'dark' ? 'light' : 'dark');
  }
}

function parsePref(v: string | null): ThemePreference {
  return v === 'light' || v === 'dark' ? v : 'system';
}
