import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AgentDto, PolicyReviewEvent } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../../testing/fake-socket';
import { provideSession } from '../../../../testing/test-session';
import { AgentsStore } from '../../../core/data/agents.store';
import { SocketService } from '../../../core/realtime/socket.service';
import { AgentsSettingsStore } from './agents-settings.store';

const agent = (id: number, name: string): AgentDto => ({
  id,
  name,
  description: null,
  version: null,
  commands: [],
  online: false,
  status: 'OFFLINE',
  lastSeenAt: null,
  lastReport: null,
  lastReportAt: null,
  tokenHint: 'ec_…abcd',
  tokenRotatedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
});

const review = (command: string): PolicyReviewEvent => ({
  agentId: 1,
  agentName: 'Fleet-Ops',
  command,
  reason: 'no longer claims read-only',
  policy: 'NEEDS_APPROVAL',
});

describe('AgentsSettingsStore', () => {
  let store: AgentsSettingsStore;
  let fleet: AgentsStore;
  let http: HttpTestingController;
  let socket: FakeSocket;
  const fleetNames = () => fleet.agents().map((a) => a.name);

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        ...provideSession().providers,
        ...fake.providers,
        SocketService,
        AgentsStore,
        AgentsSettingsStore,
      ],
    });
    store = TestBed.inject(AgentsSettingsStore);
    fleet = TestBed.inject(AgentsStore);
    http = TestBed.inject(HttpTestingController);
    socket = fake.sockets[0];
  });

  afterEach(() => http.verify());

  it('fetches the fleet afresh each time the tab opens, even when it was loaded before', () => {
    fleet.load();
    http.expectOne('/api/agents').flush([agent(1, 'Fleet-Ops')]);
    store.load();
    http.expectOne('/api/agents').flush([agent(1, 'Fleet-Ops'), agent(2, 'Echo-Bot')]);
    expect(fleetNames()).toEqual(['Echo-Bot', 'Fleet-Ops']);
  });

  it('registers an agent: the token is shown once, the agent joins the fleet and the form empties', async () => {
    store.name.set('  Nightly ');
    store.description.set('  ');
    const registering = store.register();
    const req = http.expectOne({ method: 'POST', url: '/api/agents' });
    expect(req.request.body).toEqual({ name: 'Nightly' });
    req.flush({ agent: agent(5, 'Nightly'), token: 'ec_secret' });
    await registering;
    expect(store.issued()?.token).toBe('ec_secret');
    expect(fleetNames()).toEqual(['Nightly']);
    expect([store.name(), store.description()]).toEqual(['', '']);
  });

  it('keeps the form and shows why when the hub refuses a name; a blank name sends nothing', async () => {
    await store.register();
    http.expectNone('/api/agents');
    store.name.set('Echo-Bot');
    store.description.set('echoes');
    const registering = store.register();
    const req = http.expectOne({ method: 'POST', url: '/api/agents' });
    expect(req.request.body).toEqual({ name: 'Echo-Bot', description: 'echoes' });
    req.flush({ statusCode: 409, code: 'CONFLICT', message: 'name taken' }, { status: 409, statusText: 'Conflict' });
    await registering;
    expect(store.error()).toBe('name taken');
    expect(store.name()).toBe('Echo-Bot');
    expect(store.issued()).toBeNull();
  });

  it('rotates a token; deleting that agent drops both it and its token from the page', async () => {
    fleet.upsert(agent(2, 'Echo-Bot'));
    const rotating = store.rotate(2);
    http
      .expectOne({ method: 'POST', url: '/api/agents/2/token' })
      .flush({ agent: { ...agent(2, 'Echo-Bot'), tokenHint: 'ec_…wxyz' }, token: 'ec_new' });
    await rotating;
    expect(store.issued()?.token).toBe('ec_new');
    expect(fleet.byId().get(2)?.tokenHint).toBe('ec_…wxyz');
    const removing = store.remove(2);
    http.expectOne({ method: 'DELETE', url: '/api/agents/2' }).flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(store.issued()).toBeNull();
    expect(fleetNames()).toEqual([]);
  });

  it('tests a token; editing the token clears the last answer', async () => {
    store.setTestToken(' ec_try ');
    const testing = store.test();
    const req = http.expectOne({ method: 'POST', url: '/api/agents/test-connection' });
    expect(req.request.body).toEqual({ token: 'ec_try' });
    req.flush({ valid: false });
    await testing;
    expect(store.testResult()).toBe(false);
    store.setTestToken('ec_other');
    expect(store.testResult()).toBeNull();
  });

  it('opens one command card at a time; a second click closes it', () => {
    store.toggleCard(1);
    store.toggleCard(2);
    expect(store.openCard()).toBe(2);
    store.toggleCard(2);
    expect(store.openCard()).toBeNull();
  });

  it('lists card changes that undid a confirmation, newest first, the last five', () => {
    for (const c of ['a', 'b', 'c', 'd', 'e', 'f']) socket.serverEmit('policy:review', review(c));
    expect(store.reviews().map((r) => r.command)).toEqual(['f', 'e', 'd', 'c', 'b']);
  });
});
