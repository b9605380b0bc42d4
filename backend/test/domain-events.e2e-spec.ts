import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainEventBus } from '../src/events/domain-event-bus';
import { startTestApp, type TestApp } from './support/test-app';

/** `event subscriber` pairs of the domain event table in docs/architecture.md ("Events between features"). */
function documented(): Set<string> {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'architecture.md'), 'utf8');
  const pairs = new Set<string>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const event = /^`([a-z][A-Za-z]*\.[A-Za-z]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!event || cells.length < 6) continue;
    for (const m of (cells[4] ?? '').matchAll(/`([a-z][A-Za-z]*\.[A-Za-z]+)`:/g)) pairs.add(`${event} ${m[1]}`);
  }
  return pairs;
}

describe('domain events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has exactly the subscribers docs/architecture.md lists (the demo fleet only waits for a node when it runs)', () => {
    const live = new Set(
      t.app
        .get(DomainEventBus)
        .subscriptions()
        .map(({ event, subscriber }) => `${event} ${subscriber}`),
    );
    const doc = documented();
    expect(doc.size).toBeGreaterThan(10);
    expect([...live].filter((p) => !doc.has(p))).toEqual([]);
    expect([...doc].filter((p) => !live.has(p))).toEqual(['ops.nodeAdded fleet.opsRunner']);
  });
});
