import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ThreadUsageDto } from '@echocenter/contracts';
import { I18nService } from '../../core/i18n/i18n.service';
import { provideSession } from '../../../testing/test-session';
import { ThreadUsage } from './thread-usage';

const usage = (over: Partial<ThreadUsageDto> = {}): ThreadUsageDto => ({
  conversationId: 7,
  promptTokens: 1200,
  completionTokens: 300,
  turns: 3,
  cost: null,
  byModel: [],
  ...over,
});

describe('ThreadUsage (Butler thread header)', () => {
  let fixture: ComponentFixture<ThreadUsage>;
  let http: HttpTestingController;
  const chip = () => (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>('[data-testid="thread-usage"]');
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    fixture.detectChanges();
    await fixture.whenStable();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(I18nService).setLang('en');
    fixture = TestBed.createComponent(ThreadUsage);
    fixture.componentRef.setInput('conversationId', 7);
    fixture.componentRef.setInput('replies', 1);
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  it('shows the thread’s tokens, reads them again after each Butler reply, and adds the cost once priced', async () => {
    http.expectOne('/api/conversations/7/usage').flush(usage());
    await settle();
    expect(chip()!.textContent!.trim()).toBe('1,500 tokens in this thread');
    expect(chip()!.title).toBe('Prompt 1,200 · completion 300 · 3 model turns');

    fixture.componentRef.setInput('replies', 2);
    fixture.detectChanges();
    http
      .expectOne('/api/conversations/7/usage')
      .flush(usage({ promptTokens: 2000, completionTokens: 500, turns: 4, cost: 0.0125 }));
    await settle();
    expect(chip()!.textContent!.trim()).toBe('2,500 tokens in this thread · cost 0.0125');
  });

  it('shows nothing for a thread that never reached the model', async () => {
    http
      .expectOne('/api/conversations/7/usage')
      .flush(usage({ promptTokens: 0, completionTokens: 0, turns: 0, cost: 0 }));
    await settle();
    expect(chip()).toBeNull();
  });
});
