import type { AppConfig } from '../config/config';
import { HandshakeGate } from './handshake-gate';
import type { EchoServer } from './socket-types';

const config = (trustProxy: string | number = 'loopback') =>
  ({
    trustProxy,
    limits: { socketsPerHuman: 2, socketsPerAgent: 1, failedHandshakesPerMin: 3 },
  }) as unknown as AppConfig;

function serverWith(rooms: Record<string, number>): EchoServer {
  const map = new Map(
    Object.entries(rooms).map(([room, n]) => [room, new Set(Array.from({ length: n }, (_, i) => `s${i}`))]),
  );
  return { of: () => ({ adapter: { rooms: map } }) } as unknown as EchoServer;
}

describe('HandshakeGate', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses an address after its refused handshakes of the minute, and forgets them a minute later', () => {
    jest.useFakeTimers({ now: 0 });
    const gate = new HandshakeGate(config());
    for (let i = 0; i < 3; i++) {
      expect(gate.addressAllowed('203.0.113.7')).toBe(true);
      gate.failed('203.0.113.7');
    }
    expect(gate.addressAllowed('203.0.113.7')).toBe(false);
    expect(gate.addressAllowed('198.51.100.1')).toBe(true);
    jest.setSystemTime(60_000);
    expect(gate.addressAllowed('203.0.113.7')).toBe(true);
  });

  it('reads X-Forwarded-For only from a trusted proxy (TRUST_PROXY lists and hop counts, as Express)', () => {
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    expect(new HandshakeGate(config()).addressOf(headers, '127.0.0.1')).toBe('203.0.113.7');
    expect(new HandshakeGate(config()).addressOf(headers, '198.51.100.9')).toBe('198.51.100.9');
    expect(new HandshakeGate(config('loopback, 10.0.0.0/8')).addressOf(headers, '10.1.2.3')).toBe('203.0.113.7');
    expect(new HandshakeGate(config(1)).addressOf(headers, '198.51.100.9')).toBe('203.0.113.7');
  });

  it('caps sockets per actor, counting admissions not yet in their rooms', () => {
    const gate = new HandshakeGate(config());
    const server = serverWith({ 'actor:7': 1 });
    const human = { id: 7, name: 'ann', kind: 'MEMBER' } as const;
    const release = gate.admit(server, human);
    expect(release).not.toBeNull();
    expect(gate.admit(server, human)).toBeNull(); // one in the room, one admitting: the cap of 2
    release!();
    release!(); // twice is once
    expect(gate.admit(server, human)).not.toBeNull();
    expect(gate.admit(serverWith({ 'actor:9': 1 }), { id: 9, name: 'bot', kind: 'AGENT' })).toBeNull();
  });
});
