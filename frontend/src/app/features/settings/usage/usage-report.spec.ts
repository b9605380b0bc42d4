import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { UsageReportDto } from '@echocenter/contracts';
import { I18nService } from '../../../core/i18n/i18n.service';
import { provideSession } from '../../../../testing/test-session';
import { UsageReport } from './usage-report';

const REPORT: UsageReportDto = {
  from: '2026-11-07',
  to: '2026-12-06',
  rows: [
    {
      day: '2026-12-06',
      userId: 1,
      username: 'admin',
      model: 'gpt-x',
      promptTokens: 12000,
      completionTokens: 3000,
      turns: 4,
      cost: 0.075,
    },
    {
      day: '2026-12-05',
      userId: 2,
      username: 'ops',
      model: 'local',
      promptTokens: 100,
      completionTokens: 50,
      turns: 1,
      cost: null,
    },
  ],
  totals: { promptTokens: 12100, completionTokens: 3050, turns: 5, cost: null },
  dailyTokenBudget: 50000,
  prices: { 'gpt-x': 0.005 },
};

describe('UsageReport (Settings → Usage)', () => {
  let fixture: ComponentFixture<UsageReport>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const all = (id: string) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const q = (id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    fixture.detectChanges();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(I18nService).setLang('en');
    fixture = TestBed.createComponent(UsageReport);
    el = fixture.nativeElement;
    fixture.detectChanges();
    const first = http.expectOne((r) => r.url === '/api/usage');
    expect(first.request.params.keys()).toEqual([]);
    first.flush(REPORT);
    await settle();
  });

  afterEach(() => http.verify());

  it('shows one line per user, model and day with cost where priced, the totals, the budget and the prices', () => {
    const rows = all('usage-row').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).toEqual([
      ['2026-12-06', 'admin', 'gpt-x', '12,000', '3,000', '4', '0.075'],
      ['2026-12-05', 'ops', 'local', '100', '50', '1', 'no price'],
    ]);
    expect(q('usage-total').textContent).toContain('12,100');
    expect(q('usage-total').textContent).toContain('no price');
    expect(q('usage-budget').textContent).toContain('Daily budget per user: 50,000 tokens.');
    expect(q('usage-budget').textContent).toContain('gpt-x 0.005');
    expect((q('usage-from') as HTMLInputElement).value).toBe('2026-11-07');
  });

  it('asks for the chosen range and says so when it holds nothing', async () => {
    (q('usage-from') as HTMLInputElement).value = '2026-12-01';
    (q('usage-to') as HTMLInputElement).value = '2026-12-02';
    q('usage-show').click();
    const req = http.expectOne((r) => r.url === '/api/usage');
    expect([req.request.params.get('from'), req.request.params.get('to')]).toEqual(['2026-12-01', '2026-12-02']);
    req.flush({
      ...REPORT,
      from: '2026-12-01',
      to: '2026-12-02',
      rows: [],
      totals: { promptTokens: 0, completionTokens: 0, turns: 0, cost: 0 },
      dailyTokenBudget: 0,
      prices: {},
    });
    await settle();
    expect(all('usage-row')).toEqual([]);
    expect(el.textContent).toContain('No model usage in this range.');
    expect(q('usage-budget').textContent).toContain('No daily token budget.');
    expect(q('usage-budget').textContent).toContain('No prices set.');
  });
});
