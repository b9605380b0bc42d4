import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MemoryStorage } from '../../../testing/test-session';
import { APP_STORAGE } from '../auth/session-storage';
import { I18nService } from './i18n.service';
import { EN } from './messages.en';
import { ZH_CN } from './messages.zh-cn';
import { TranslatePipe } from './translate.pipe';

@Component({
  imports: [TranslatePipe],
  template: `<h1>{{ 'nav.dashboard' | t }}</h1><p>{{ 'logs.showing' | t: { shown: 3, total: 10 } }}</p>
    <button (click)="i18n.toggle()">x</button>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly i18n = inject(I18nService);
}

describe('I18nService', () => {
  let storage: MemoryStorage;

  function setup(saved?: string) {
    storage = new MemoryStorage();
    if (saved) storage.setItem('ec.lang', saved);
    TestBed.configureTestingModule({ providers: [{ provide: APP_STORAGE, useValue: storage }] });
    return TestBed.inject(I18nService);
  }

  it('says relative times as people write them: "20 seconds ago", "20 秒前" (not 20秒钟前)', () => {
    const i18n = setup('en');
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(i18n.relative('2026-12-06T09:59:40Z', now)).toBe('20 seconds ago');
    i18n.setLang('zh-CN');
    expect(i18n.relative('2026-12-06T09:59:40Z', now)).toBe('20 秒前');
    expect(i18n.relative('2026-12-06T09:57:00Z', now)).toBe('3 分钟前');
    expect(i18n.relative('2026-12-06T10:15:00Z', now)).toBe('15 分钟后');
  });

  it("names the Butler and its offline brain in the interface's language, unless an admin renamed it", () => {
    const i18n = setup('zh-CN');
    expect(i18n.actorName('Butler', 'BUTLER')).toBe('管家');
    expect(i18n.actorName('Jeeves', 'BUTLER')).toBe('Jeeves');
    expect(i18n.actorName('Butler', 'AGENT')).toBe('Butler');
    expect(i18n.brainName('offline')).toBe('离线（无模型）');
    expect(i18n.brainName('gemma:2b')).toBe('gemma:2b');
  });

  it('translates with parameters and defaults to English for an English browser', () => {
    const i18n = setup();
    expect(i18n.lang()).toBe('en');
    expect(i18n.t('logs.showing', { shown: 1, total: 2 })).toBe('1 of 2');
  });

  it('switches language, persists the choice and sets <html lang>', () => {
    const i18n = setup();
    i18n.setLang('zh-CN');
    TestBed.tick();
    expect(i18n.t('nav.dashboard')).toBe('仪表盘');
    expect(storage.getItem('ec.lang')).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('restores the saved language', () => {
    expect(setup('zh-CN').t('login.submit')).toBe('登录');
  });

  it('re-renders templates using the pipe when the language changes', async () => {
    setup();
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('h1')?.textContent).toBe('Dashboard');
    expect(el.querySelector('p')?.textContent).toBe('3 of 10');
    el.querySelector('button')!.click();
    await fixture.whenStable();
    expect(el.querySelector('h1')?.textContent).toBe('仪表盘');
    expect(el.querySelector('p')?.textContent).toBe('3 / 10');
  });

  it('has a Chinese text for every key, with the same placeholders', () => {
    for (const key of Object.keys(EN) as (keyof typeof EN)[]) {
      expect(ZH_CN[key]?.length).toBeGreaterThan(0);
      const params = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect([key, params(ZH_CN[key])]).toEqual([key, params(EN[key])]);
    }
  });
});
