import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AgentDto, LogDto } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { SocketService } from '../realtime/socket.service';
import { AgentsStore } from './agents.store';

function agent(id: number, name: string, o: Partial<AgentDto> = {}): AgentDto {
  return {
    id, name, description: null, version: null, commands: [], online: false, status: 'OFFLINE', lastSeenAt: null,
    lastReport: null, lastReportAt: null, tokenHint: null, tokenRotatedAt: null, createdAt: '2026-01-01T00:00:00Z', ...o,
  };
}

const log = (id: number, agentId: number, content: string, createdAt: string): LogDto => ({ id, agentId, agentName: 'x', level: 'INFO', content, createdAt });

describe('AgentsStore', () => {
  let store: AgentsStore;
  let socket: FakeSocket;

  beforeEach(() => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), ...provideSession().providers, ...fake.providers, SocketService, AgentsStore],
    });
    store = TestBed.inject(AgentsStore);
    socket = fake.sockets[0];
    store.load();
    TestBed.inject(HttpTestingController).expectOne('/api/agents').flush([agent(1, 'Storage-Custodian'), agent(2, 'Echo-Bot', { online: true, status: 'ONLINE' })]);
  });

  it('lists online agents first and follows presence', () => {
    expect(store.agents().map((a) => a.name)).toEqual(['Echo-Bot', 'Storage-Custodian']);
    socket.serverEmit('presence:update', { actorId: 1, online: true, lastSeenAt: null, status: 'ONLINE' });
    expect(store.onlineCount()).toBe(2);
  });

  it('shows the newest log as the last report; a log pushed again later does not replace a newer one', () => {
    socket.serverEmit('log:new', log(10, 1, 'disk at 91%', '2026-01-01T10:00:00.500Z'));
    socket.serverEmit('log:new', log(11, 1, 'disk at 80%', '2026-01-01T10:00:01.000Z'));
    socket.serverEmit('log:new', log(10, 1, 'disk at 91%', '2026-01-01T10:00:00.500Z'));
    expect(store.byId().get(1)).toMatchObject({ lastReport: 'disk at 80%', lastReportAt: '2026-01-01T10:00:01.000Z' });
    socket.serverEmit('log:new', { ...log(12, null as unknown as number, 'from an admin', '2026-01-01T11:00:00Z'), agentId: null });
    expect(store.byId().get(1)?.lastReport).toBe('disk at 80%');
  });
});
