import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { NotificationChannelDto, NotificationDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { ChannelsSettings } from './channels-settings';

const hook = {
  id: 3,
  name: 'ops hook',
  kind: 'WEBHOOK',
  enabled: true,
  url: 'https://x.example/…hook',
  smtp: null,
  events: ['approval.requested'],
  recipients: null,
  hasSecret: true,
  linksRequireSignIn: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as NotificationChannelDto;

const dead = (id: number, lastError: string) =>
  ({
    id,
    channelId: 3,
    event: 'approval.requested',
    approvalId: 40 + id,
    attempts: 3,
    status: 'DEAD',
    lastError,
  }) as NotificationDto;

describe('ChannelsSettings (Settings → Channels): dead letters', () => {
  let fixture: ComponentFixture<ChannelsSettings>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const all = (id: string) => [...el.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ChannelsSettings);
    el = fixture.nativeElement;
    http.expectOne('/api/notifications/channels').flush([hook]);
    http.expectOne('/api/users').flush([{ id: 1, username: 'admin', role: 'ADMIN', disabled: false }]);
    http
      .expectOne((r) => r.url === '/api/notifications/outbox' && r.params.get('status') === 'DEAD')
      .flush({ items: [dead(9, 'HTTP 500'), dead(10, 'timeout')], nextCursor: null });
    await fixture.whenStable();
    fixture.detectChanges();
  });
  afterEach(() => http.verify());

  it('lists each dead letter with its channel, approval, tries and last error; Retry queues that one again', async () => {
    const rows = all('dead-letter');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('ops hook');
    expect(rows[0].textContent).toContain('#49');
    expect(rows[0].textContent).toContain('HTTP 500');

    all('dead-letter-retry')[0].click();
    const req = http.expectOne('/api/notifications/outbox/9/retry');
    expect(req.request.method).toBe('POST');
    req.flush({ ...dead(9, 'HTTP 500'), status: 'PENDING' });
    await fixture.whenStable();
    fixture.detectChanges();

    expect(all('dead-letter').map((r) => r.textContent)).toEqual([expect.stringContaining('timeout')]);
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Queued again.');
  });

  it('keeps the row and shows the error when the retry is refused', async () => {
    all('dead-letter-retry')[1].click();
    http
      .expectOne('/api/notifications/outbox/10/retry')
      .flush(
        { statusCode: 409, code: 'CONFLICT', message: 'notification #10 is not a dead letter' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(all('dead-letter')).toHaveLength(2);
    expect(el.querySelector('[data-testid="channels-error"]')?.textContent).toContain('not a dead letter');
  });
});
