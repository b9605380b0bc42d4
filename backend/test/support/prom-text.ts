import type { TestApp } from './test-app';

/** One scrape: every sample keyed `name{a="1",b="2"}` (labels sorted, `node` left out), as numbers. */
export class Scrape {
  constructor(
    readonly text: string,
    readonly samples: Map<string, number>,
  ) {}

  /** A sample's value; 0 when the series does not exist yet (a counter that never moved). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples.get(key(name, labels)) ?? 0;
  }

  /** Whether any series of this metric family is present (`_bucket`/`_count`/`_sum` count for histograms). */
  has(family: string): boolean {
    return new RegExp(`^# TYPE ${family.replace(/[^\w:]/g, '')} `, 'm').test(this.text);
  }
}

function key(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels)
    .filter(([k]) => k !== 'node')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return `${name}{${parts.join(',')}}`;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format (0.0.4) enough for tests: samples, labels, values. */
export function parseProm(text: string): Scrape {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    samples.set(key(m[1], labels), Number(m[3]));
  }
  return new Scrape(text, samples);
}

/** GET /metrics with the token; fails with the status and body when refused. */
export async function scrape(t: TestApp, token: string): Promise<Scrape> {
  const res = await t.http().get('/metrics').set('authorization', `Bearer ${token}`);
  if (res.status !== 200) throw new Error(`scrape failed: ${res.status} ${res.text}`);
  return parseProm(res.text);
}
