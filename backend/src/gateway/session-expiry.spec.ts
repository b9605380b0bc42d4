import type { EchoSocket } from './socket-types';
import { SessionExpiry, TOKEN_EXPIRED_EVENT } from './session-expiry';

function fakeSocket(id: string) {
  const calls: string[] = [];
  const socket = {
    id,
    emit: (event: string, payload: unknown) => calls.push(`${event}:${(payload as { code: string }).code}`),
    disconnect: () => calls.push('disconnect'),
  };
  return { socket: socket as unknown as EchoSocket, calls };
}

describe('SessionExpiry', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('tells the socket TOKEN_EXPIRED and disconnects it at the expiry, not before', () => {
    const expiry = new SessionExpiry();
    const { socket, calls } = fakeSocket('a');
    expiry.arm(socket, Date.now() + 5000);
    jest.advanceTimersByTime(4999);
    expect(calls).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(calls).toEqual([`error:${TOKEN_EXPIRED_EVENT.code}`, 'disconnect']);
  });

  it('does nothing for a socket that disconnected first', () => {
    const expiry = new SessionExpiry();
    const { socket, calls } = fakeSocket('b');
    expiry.arm(socket, Date.now() + 1000);
    expiry.disarm(socket);
    jest.advanceTimersByTime(5000);
    expect(calls).toEqual([]);
  });

  it('waits out a lifetime longer than one setTimeout can hold (~24.8 days)', () => {
    const expiry = new SessionExpiry();
    const { socket, calls } = fakeSocket('c');
    const thirtyDays = 30 * 86_400_000;
    expiry.arm(socket, Date.now() + thirtyDays);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(calls).toEqual([]);
    jest.advanceTimersByTime(thirtyDays - (2 ** 31 - 1));
    expect(calls).toEqual(['error:TOKEN_EXPIRED', 'disconnect']);
  });
});
