import { provideHttpClient } from '@angular/common/http';
import { EnvironmentInjector, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { ChatMessageDto, LogDto } from '@echocenter/contracts';
import { FakeSocket, provideFakeSocket } from '../../../testing/fake-socket';
import { provideSession } from '../../../testing/test-session';
import { AuthService } from '../auth/auth.service';
import { SocketService } from './socket.service';

const message: ChatMessageDto = {
  id: 5,
  senderId: 7,
  senderName: 'echo-bot',
  senderKind: 'AGENT',
  targetId: 1,
  text: 'hi',
  createdAt: '2026-01-01T00:00:00Z',
};
const log: LogDto = {
  id: 9,
  agentId: 7,
  agentName: 'echo-bot',
  level: 'ERROR',
  content: 'disk full',
  createdAt: '2026-01-01T00:00:00Z',
};

describe('SocketService', () => {
  let sockets: FakeSocket[];
  let service: SocketService;

  function setup(role: 'ADMIN' | null = 'ADMIN') {
    const fake = provideFakeSocket();
    sockets = fake.sockets;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        ...provideSession(role).providers,
        ...fake.providers,
        SocketService,
      ],
    });
    service = TestBed.inject(SocketService);
  }

  it('opens one socket with the session token', () => {
    setup();
    expect(sockets).toHaveLength(1);
    expect(sockets[0].token).toBe('jwt-token');
    expect(service.state()).toBe('connecting');
  });

  it('does not connect without a session', () => {
    setup(null);
    expect(sockets).toHaveLength(0);
    expect(service.state()).toBe('disconnected');
  });

  it('routes each server event to its own typed observable', () => {
    setup();
    const messages: ChatMessageDto[] = [];
    const logs: LogDto[] = [];
    service.chatMessage$.subscribe((m) => messages.push(m));
    service.logNew$.subscribe((l) => logs.push(l));
    sockets[0].serverEmit('chat:message', message);
    sockets[0].serverEmit('log:new', log);
    sockets[0].serverEmit('log:new', { ...log, id: 10 });
    expect(messages).toEqual([message]);
    expect(logs.map((l) => l.id)).toEqual([9, 10]);
  });

  it('tracks the connection and asks for a catch-up only after a reconnect', () => {
    setup();
    let resyncs = 0;
    service.resync$.subscribe(() => resyncs++);
    const s = sockets[0];
    s.fire('connect');
    expect(service.state()).toBe('connected');
    expect(resyncs).toBe(0);
    s.fire('disconnect', 'transport close');
    expect(service.state()).toBe('reconnecting');
    s.fireManager('reconnect_attempt', 1);
    expect(service.state()).toBe('reconnecting');
    s.fire('connect');
    expect(service.state()).toBe('connected');
    expect(resyncs).toBe(1);
  });

  it('asks for a catch-up when the hub hints that pushes may have been lost, while connected', () => {
    setup();
    let resyncs = 0;
    service.resync$.subscribe(() => resyncs++);
    sockets[0].fire('connect');
    sockets[0].serverEmit('sync:hint', { reason: 'peer' });
    sockets[0].serverEmit('sync:hint', { reason: 'adapter' });
    expect(resyncs).toBe(2);
    expect(service.state()).toBe('connected');
  });

  it('retries by itself a handshake refused for now (UNAVAILABLE, TOO_MANY_SOCKETS), and says why', () => {
    jest.useFakeTimers();
    try {
      setup();
      const s = sockets[0];
      const connects = jest.spyOn(s, 'connect');
      s.fire('connect_error', Object.assign(new Error('too many'), { data: { code: 'TOO_MANY_SOCKETS' } }));
      expect(service.refusal()).toBe('TOO_MANY_SOCKETS');
      jest.advanceTimersByTime(4_999);
      expect(connects).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(connects).toHaveBeenCalledTimes(1);
      s.fire('connect_error', Object.assign(new Error('db down'), { data: { code: 'UNAVAILABLE' } }));
      jest.advanceTimersByTime(2_000);
      expect(connects).toHaveBeenCalledTimes(2);
      s.fire('connect');
      expect(service.refusal()).toBeNull();
      expect(service.state()).toBe('connected');
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends the session when the handshake is refused as UNAUTHORIZED', () => {
    setup();
    const auth = TestBed.inject(AuthService);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const err = Object.assign(new Error('unauthorized'), { data: { code: 'UNAUTHORIZED' } });
    sockets[0].fire('connect_error', err);
    expect(auth.isLoggedIn()).toBe(false);
    expect(sockets[0].disconnected).toBe(1);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } });
  });

  it('ends the session when the server closes the socket because the token expired', () => {
    setup();
    const auth = TestBed.inject(AuthService);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    sockets[0].fire('connect');
    sockets[0].serverEmit('error', { code: 'VALIDATION_FAILED', message: 'bad', event: 'chat:send' });
    expect(auth.isLoggedIn()).toBe(true);
    sockets[0].serverEmit('error', { code: 'TOKEN_EXPIRED', message: 'expired', event: 'session' });
    expect(auth.isLoggedIn()).toBe(false);
    expect(sockets[0].disconnected).toBe(1);
    expect(service.state()).toBe('disconnected');
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } });
  });

  it('keeps the session on other connect errors', () => {
    setup();
    sockets[0].fire('connect_error', new Error('xhr poll error'));
    expect(TestBed.inject(AuthService).isLoggedIn()).toBe(true);
    expect(service.state()).toBe('connecting');
  });

  it('resolves acks, and turns a timeout into an ok:false ack', async () => {
    setup();
    const s = sockets[0];
    s.ack = (event, payload) => ({ ok: true, message: { ...message, text: (payload as { text: string }).text } });
    const ok = await service.request('chat:send', { targetId: 7, text: 'ping' });
    expect(ok).toEqual({ ok: true, message: expect.objectContaining({ text: 'ping' }) });
    expect(s.emitted[0]).toEqual(
      expect.objectContaining({ event: 'chat:send', payload: { targetId: 7, text: 'ping' } }),
    );

    s.ack = () => undefined;
    const timedOut = await service.request('chat:send', { targetId: 7, text: 'lost' });
    expect(timedOut).toEqual({ ok: false, error: expect.objectContaining({ code: 'TIMEOUT' }) });
  });

  it('closes the socket when its injector is destroyed (logout destroys the shell)', () => {
    const fake = provideFakeSocket();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), ...provideSession('MEMBER').providers, ...fake.providers],
    });
    const child = createEnvironmentInjector([SocketService], TestBed.inject(EnvironmentInjector));
    const svc = child.get(SocketService);
    expect(fake.sockets).toHaveLength(1);
    child.destroy();
    expect(fake.sockets[0].disconnected).toBe(1);
    expect(svc.state()).toBe('disconnected');
  });
});
