import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ButlerDto } from '@echocenter/contracts';
import { provideSession } from '../../../testing/test-session';
import { ButlerStore } from '../../core/data/butler.store';
import { I18nService } from '../../core/i18n/i18n.service';
import { ButlerTabs } from './butler-tabs';

describe('ButlerTabs header', () => {
  function render(modelTools: boolean | null) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        ButlerStore,
      ],
    });
    TestBed.inject(ButlerStore).load();
    const dto: ButlerDto = {
      id: 2,
      name: 'Butler',
      kind: 'BUTLER',
      brain: 'gemma:2b',
      requesterMayApprove: false,
      modelTools,
    };
    TestBed.inject(HttpTestingController).expectOne('/api/butler').flush(dto);
    const fixture = TestBed.createComponent(ButlerTabs);
    fixture.detectChanges();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }
  const q = (el: HTMLElement, id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  it('says when the model cannot use tools, and what still works', () => {
    const { fixture, el } = render(false);
    expect(q(el, 'butler-brain')?.textContent).toContain('gemma:2b');
    expect(q(el, 'butler-no-tools')?.textContent).toContain('no tools');
    expect(q(el, 'butler-no-tools')?.getAttribute('title')).toContain('ask <agent> to <command>');
    TestBed.inject(I18nService).setLang('zh-CN');
    fixture.detectChanges();
    expect(q(el, 'butler-no-tools')?.textContent).toContain('无工具');
  });

  it('says nothing more while the model uses tools or it is not known yet', () => {
    expect(q(render(true).el, 'butler-no-tools')).toBeNull();
    TestBed.resetTestingModule();
    expect(q(render(null).el, 'butler-no-tools')).toBeNull();
  });
});

describe('ButlerStore.refreshIfUnsettled', () => {
  const dto = (modelTools: boolean | null, brain = 'gemma:2b'): ButlerDto => ({
    id: 2,
    name: 'Butler',
    kind: 'BUTLER',
    brain,
    requesterMayApprove: false,
    modelTools,
  });
  function store(first: ButlerDto) {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), ButlerStore] });
    const s = TestBed.inject(ButlerStore);
    s.load();
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/butler').flush(first);
    return { s, http };
  }

  it('asks again while the model’s tools are not known, and shows what the hub learnt', () => {
    const { s, http } = store(dto(null));
    s.refreshIfUnsettled();
    http.expectOne('/api/butler').flush(dto(false));
    expect(s.butler()?.modelTools).toBe(false);
    s.refreshIfUnsettled();
    http.verify();
  });

  it('does not ask again for the offline brain', () => {
    const { s, http } = store(dto(null, 'offline'));
    s.refreshIfUnsettled();
    http.verify();
  });
});
