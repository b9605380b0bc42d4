import { globMatcher, MAX_STAR_RUNS } from './glob';

describe('globMatcher (picomatch)', () => {
  const files = [
    'reports/2025-q1-sales.csv',
    'reports/2025-q2-sales.csv',
    'notes/meeting-notes.md',
    'archive/reports/old.CSV',
    '.hidden.csv',
    'tmp/a.tmp',
  ];
  const find = (pattern: string) => files.filter(globMatcher(pattern));

  it('matches as the hand-made matcher did', () => {
    expect(find('*.csv')).toEqual([
      'reports/2025-q1-sales.csv',
      'reports/2025-q2-sales.csv',
      'archive/reports/old.CSV',
      '.hidden.csv',
    ]);
    expect(find('reports/*q2*')).toEqual(['reports/2025-q2-sales.csv']);
    expect(find('reports/*')).toEqual(['reports/2025-q1-sales.csv', 'reports/2025-q2-sales.csv']);
    expect(find('**/*.csv')).toEqual([
      'reports/2025-q1-sales.csv',
      'reports/2025-q2-sales.csv',
      'archive/reports/old.CSV',
      '.hidden.csv',
    ]);
    expect(find('archive/**')).toEqual(['archive/reports/old.CSV']);
    expect(find('?mp/*')).toEqual(['tmp/a.tmp']);
    expect(find('MEETING-*.md')).toEqual(['notes/meeting-notes.md']);
  });

  it('answers a hostile pattern at once: refused, or cheap within the cap', () => {
    const name = 'a'.repeat(255);
    const started = Date.now();
    expect(() => globMatcher(`${'*a'.repeat(12)}b`)).toThrow(`at most ${MAX_STAR_RUNS} runs of *, got 12`);
    expect(() => globMatcher('+(a|aa)'.repeat(5))).not.toThrow();
    expect(globMatcher('+(a|aa)'.repeat(5))(name)).toBe(false);
    expect(globMatcher(`${'*a'.repeat(MAX_STAR_RUNS)}b`)(name)).toBe(false);
    expect(() => globMatcher('*'.repeat(500))).toThrow('at most 200 characters');
    expect(Date.now() - started).toBeLessThan(500);
  });
});
