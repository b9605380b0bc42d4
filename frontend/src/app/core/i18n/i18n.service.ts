import { DOCUMENT } from '@angular/common';
import { Injectable, computed, effect, inject, signal } from '@angular/core';
import { APP_STORAGE } from '../auth/session-storage';
import { EN, type MessageKey } from './messages.en';
import { ZH_CN } from './messages.zh-cn';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export type Params = Record<string, string | number>;

const KEY = 'ec.lang';
const DICTS: Record<Lang, Record<MessageKey, string>> = { en: EN, 'zh-CN': ZH_CN };

@Injectable({ providedIn: 'root' })
export class I18nService {
  private readonly storage = inject(APP_STORAGE);
  private readonly doc = inject(DOCUMENT);
  private readonly langSignal = signal<Lang>(
    initialLang(this.storage.getItem(KEY), this.doc.defaultView?.navigator.language),
  );
  private readonly dict = computed(() => DICTS[this.langSignal()]);
  // Building an Intl formatter costs far more than using one; log rows format thousands of times.
  private readonly formatters = computed(() => {
    const lang = this.langSignal();
    return {
      time: new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
      dateTime: new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
      // Chinese "long" says 20秒钟前; people write 20 秒前 (short), and English keeps "20 seconds ago".
      relative: new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: lang === 'zh-CN' ? 'short' : 'long' }),
    };
  });

  readonly lang = this.langSignal.asReadonly();

  constructor() {
    effect(() => {
      this.doc.documentElement.lang = this.langSignal();
    });
  }

  setLang(lang: Lang): void {
    this.langSignal.set(lang);
    this.storage.setItem(KEY, lang);
  }

  toggle(): void {
    this.setLang(this.langSignal() === 'en' ? 'zh-CN' : 'en');
  }

  /** Reads the language signal, so templates and computeds re-render when it changes. */
  t(key: MessageKey, params?: Params): string {
    const text = this.dict()[key] ?? EN[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  }

  /**
   * How an actor is named on screen: the Butler's default name is a word of the interface and follows the
   * language; a name an admin gave it, and every other actor's, is shown as it is.
   */
  actorName(name: string, kind?: string): string {
    return kind === 'BUTLER' && name === 'Butler' ? this.t('actor.butler') : name;
  }

  /** The Butler's brain: "offline" is ours to translate, a model's name is not. */
  brainName(brain: string): string {
    return brain === 'offline' ? this.t('butler.brainOffline') : brain;
  }

  /** Short local date-time in the current language. */
  dateTime(iso: string | number | null | undefined, withDate = false): string {
    if (iso == null) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '—';
    const f = this.formatters();
    return (withDate ? f.dateTime : f.time).format(d);
  }

  /** "3 min ago" / "3分钟前" against `now`. */
  relative(iso: string | null | undefined, now = Date.now()): string {
    if (!iso) return this.t('common.never');
    const secs = Math.round((new Date(iso).getTime() - now) / 1000);
    const rtf = this.formatters().relative;
    const abs = Math.abs(secs);
    const text =
      abs < 60
        ? rtf.format(secs, 'second')
        : abs < 3600
          ? rtf.format(Math.round(secs / 60), 'minute')
          : abs < 86400
            ? rtf.format(Math.round(secs / 3600), 'hour')
            : rtf.format(Math.round(secs / 86400), 'day');
    // A space between a number and Chinese characters (20 秒前), as Chinese UI copy sets it.
    return text.replace(/(\d)(?=\p{Script=Han})/gu, '$1 ');
  }
}

function initialLang(stored: string | null, browser: string | undefined): Lang {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return browser?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
