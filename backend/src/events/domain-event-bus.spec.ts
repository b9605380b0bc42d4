import { Logger } from '@nestjs/common';
import type { LogDto } from '@echocenter/contracts';
import { DomainEventBus } from './domain-event-bus';

const log = (id: number): LogDto => ({
  id,
  agentId: null,
  agentName: 'a',
  level: 'INFO',
  content: `log ${id}`,
  createdAt: '1970-01-01T00:00:00.000Z',
});

describe('DomainEventBus', () => {
  let bus: DomainEventBus;
  let errors: string[];

  beforeEach(() => {
    bus = new DomainEventBus();
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('delivers synchronously, in emit order, then in subscription order', () => {
    const seen: string[] = [];
    bus.on('logs.created', 'first', (l) => seen.push(`first ${l.id}`));
    bus.on('logs.created', 'second', (l) => seen.push(`second ${l.id}`));
    bus.on('agents.ready', 'other', ({ agentId }) => seen.push(`ready ${agentId}`));
    bus.emit('logs.created', log(1));
    bus.emit('agents.ready', { agentId: 7 });
    bus.emit('logs.created', log(2));
    // Nothing was awaited: all of it happened inside the emits.
    expect(seen).toEqual(['first 1', 'second 1', 'ready 7', 'first 2', 'second 2']);
  });

  it('hands every subscriber the same payload object (no copies)', () => {
    const payload = log(1);
    const got: LogDto[] = [];
    bus.on('logs.created', 'a', (l) => got.push(l));
    bus.on('logs.created', 'b', (l) => got.push(l));
    bus.emit('logs.created', payload);
    expect(got[0]).toBe(payload);
    expect(got[1]).toBe(payload);
  });

  it('stops delivering after unsubscribe (twice is harmless) and keeps the others', () => {
    const seen: string[] = [];
    const a = bus.on('logs.created', 'a', (l) => seen.push(`a ${l.id}`));
    bus.on('logs.created', 'b', (l) => seen.push(`b ${l.id}`));
    bus.emit('logs.created', log(1));
    a.unsubscribe();
    a.unsubscribe();
    bus.emit('logs.created', log(2));
    expect(seen).toEqual(['a 1', 'b 1', 'b 2']);
    expect(bus.subscriptions()).toEqual([{ event: 'logs.created', subscriber: 'b' }]);
  });

  it('finishes a delivery as it began when a subscriber leaves or joins during it', () => {
    const seen: string[] = [];
    const first = bus.on('logs.created', 'once', (l) => {
      seen.push(`once ${l.id}`);
      first.unsubscribe();
      bus.on('logs.created', 'late', (m) => seen.push(`late ${m.id}`));
    });
    bus.on('logs.created', 'always', (l) => seen.push(`always ${l.id}`));
    bus.emit('logs.created', log(1));
    bus.emit('logs.created', log(2));
    expect(seen).toEqual(['once 1', 'always 1', 'always 2', 'late 2']);
  });

  it('isolates a subscriber that throws: the publisher and the others carry on, and it is logged by name', () => {
    const seen: number[] = [];
    bus.on('logs.created', 'before', (l) => seen.push(l.id));
    bus.on('logs.created', 'gateway.broken', () => {
      throw new Error('boom');
    });
    bus.on('logs.created', 'after', (l) => seen.push(l.id * 10));
    expect(() => bus.emit('logs.created', log(1))).not.toThrow();
    bus.emit('logs.created', log(2));
    expect(seen).toEqual([1, 10, 2, 20]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('gateway.broken failed on logs.created');
    expect(errors[0]).toContain('boom');
  });

  it('logs a subscriber whose handler returns a promise that rejects, instead of leaving it unhandled', async () => {
    const asyncHandler: (l: LogDto) => Promise<void> = async () => {
      throw new Error('later');
    };
    bus.on('logs.created', 'async.one', asyncHandler);
    bus.emit('logs.created', log(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('async.one failed on logs.created');
  });

  it('lists who listens to what, in delivery order', () => {
    expect(bus.subscriptions()).toEqual([]);
    bus.on('chat.toButler', 'butler.turns', () => undefined);
    bus.on('commands.finished', 'approvals.dispatcher', () => undefined);
    bus.on('commands.finished', 'commands.telemetry', () => undefined);
    expect(bus.subscriptions()).toEqual([
      { event: 'chat.toButler', subscriber: 'butler.turns' },
      { event: 'commands.finished', subscriber: 'approvals.dispatcher' },
      { event: 'commands.finished', subscriber: 'commands.telemetry' },
    ]);
  });

  it('emits to nobody without error', () => {
    expect(() => bus.emit('ops.nodeAdded', {} as never)).not.toThrow();
  });
});
