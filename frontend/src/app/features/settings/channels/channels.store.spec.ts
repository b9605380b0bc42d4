import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { NotificationChannelDto, NotificationDto } from '@echocenter/contracts';
import { provideSession } from '../../../../testing/test-session';
import { emptyDraft } from './channel-draft';
import { ChannelsStore } from './channels.store';

const hook: NotificationChannelDto = {
  id: 3,
  name: 'ops',
  kind: 'WEBHOOK',
  enabled: true,
  url: 'https://x.example/hook',
  smtp: null,
  events: ['approval.requested'],
  recipients: null,
  hasSecret: true,
  linksRequireSignIn: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('ChannelsStore', () => {
  let store: ChannelsStore;
  let http: HttpTestingController;
  const flushLog = (items: unknown[] = []) => {
    http
      .expectOne((r) => r.url === `/api/notifications/channels/${hook.id}/deliveries`)
      .flush({ items, nextCursor: null });
    http
      .expectOne((r) => r.url === '/api/notifications/outbox' && r.params.get('status') === 'DEAD')
      .flush({ items: [], nextCursor: null });
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, ChannelsStore],
    });
    store = TestBed.inject(ChannelsStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads channels, the admins they may address and the dead letters', async () => {
    const loading = store.load();
    http.expectOne('/api/notifications/channels').flush([hook]);
    http.expectOne('/api/users').flush([
      { id: 1, username: 'admin', role: 'ADMIN', disabled: false },
      { id: 2, username: 'mia', role: 'MEMBER', disabled: false },
      { id: 5, username: 'old', role: 'ADMIN', disabled: true },
    ]);
    http
      .expectOne((r) => r.url === '/api/notifications/outbox')
      .flush({ items: [{ id: 9, channelId: 3, status: 'DEAD' }], nextCursor: null });
    await loading;
    expect(store.channels().map((c) => c.name)).toEqual(['ops']);
    expect(store.admins().map((a) => a.username)).toEqual(['admin']);
    expect(store.deadLetters().map((d) => d.id)).toEqual([9]);
  });

  it('shows a generated webhook secret once and selects the new channel', async () => {
    const saving = store.save({ ...emptyDraft('WEBHOOK'), name: 'ops', url: 'https://x.example/hook' }, null);
    const req = http.expectOne('/api/notifications/channels');
    expect(req.request.method).toBe('POST');
    req.flush({ channel: hook, secret: 'whsec_abc' });
    await Promise.resolve();
    flushLog();
    await expect(saving).resolves.toBe(true);
    expect(store.revealed()).toEqual({ channelName: 'ops', secret: 'whsec_abc' });
    expect(store.selected()?.id).toBe(3);
  });

  it('queues a test, then shows the delivery log; a refused save keeps the form and says why', async () => {
    store.channels.set([hook]);
    const testing = store.test(3);
    http.expectOne('/api/notifications/channels/3/test').flush([{ id: 12 }]);
    await Promise.resolve();
    flushLog([{ id: 1, ok: true, statusCode: 200 }]);
    await testing;
    expect(store.notice()).toBe('channels.testQueued');
    expect(store.deliveries()).toHaveLength(1);

    const saving = store.save({ ...emptyDraft('WEBHOOK'), name: 'x', url: 'https://x' }, 3);
    http
      .expectOne('/api/notifications/channels/3')
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'url: must be an http(s) URL' },
        { status: 400, statusText: 'Bad Request' },
      );
    await expect(saving).resolves.toBe(false);
    expect(store.error()).toContain('url');
  });

  it('retries a dead letter: posted once, gone from the list, said so; a refused retry keeps it and says why', async () => {
    const dead = (id: number) => ({ id, channelId: 3, status: 'DEAD' }) as NotificationDto;
    store.deadLetters.set([dead(9), dead(10)]);
    const retrying = store.retry(dead(9));
    const req = http.expectOne('/api/notifications/outbox/9/retry');
    expect(req.request.method).toBe('POST');
    req.flush({ ...dead(9), status: 'PENDING' });
    await retrying;
    expect(store.deadLetters().map((d) => d.id)).toEqual([10]);
    expect(store.notice()).toBe('channels.retried');

    const refused = store.retry(dead(10));
    http
      .expectOne('/api/notifications/outbox/10/retry')
      .flush(
        { statusCode: 409, code: 'CONFLICT', message: 'notification #10 is not a dead letter' },
        { status: 409, statusText: 'Conflict' },
      );
    await refused;
    expect(store.deadLetters().map((d) => d.id)).toEqual([10]);
    expect(store.notice()).toBeNull();
    expect(store.error()).toContain('not a dead letter');
  });
});
