import { formatReview, reviewHeuristically } from './heuristics';

const rulesOf = (code: string) => reviewHeuristically(code).findings.map((f) => `${f.line}:${f.rule}`);

describe('heuristic review', () => {
  it('flags the usual suspects in TypeScript, with line numbers', () => {
    const code = [
      'function load(data: any) {', // 1 any
      '  // TODO: validate input', // 2 todo
      '  console.log(data);', // 3 console
      '  try { parse(data); } catch (e) {}', // 4 empty catch
      '  if (data.kind == "x") return eval(data.body);', // 5 loose, eval
      `  const apiKey = "sk-1234567890";`, // 6 secret
      `  const line = "${'x'.repeat(130)}";`, // 7 long
      '}',
    ].join('\n');
    expect(rulesOf(code)).toEqual([
      '1:any-type',
      '2:todo',
      '3:console-log',
      '4:empty-catch',
      '5:eval',
      '5:loose-equality',
      '6:hardcoded-secret',
      '7:long-line',
    ]);
  });

  it('finds deep nesting and multi-line empty catches', () => {
    const code = `function f(a) {
  if (a) {
    for (const b of a) {
      while (b) {
        if (b.c) {
          return 1;
        }
      }
    }
  }
  try {
    g();
  } catch {
  }
}`;
    expect(rulesOf(code)).toEqual(['6:deep-nesting', '13:empty-catch']);
  });

  it('reviews Python by its own rules', () => {
    const code =
      'def f(x):\n    if x == 1:\n        print(x)\n    try:\n        g()\n    except Exception:\n        pass\n';
    const review = reviewHeuristically(code);
    expect(review.language).toBe('python');
    expect(review.findings.map((f) => f.rule)).toEqual(['print', 'empty-catch']);
  });

  it('ignores method calls named exec and scores clean code 100', () => {
    const review = reviewHeuristically('const m = /a/.exec(s);\nexport const x = m === null;\n');
    expect(review).toMatchObject({ score: 100, findings: [] });
    expect(formatReview(review, 'Heuristic review')).toBe(
      'Heuristic review: 2 lines of javascript, score 100/100 — 0 errors, 0 warnings, 0 notes.\nNothing to flag. Looks clean.',
    );
    expect(formatReview(reviewHeuristically('debugger;'), 'R')).toMatch(
      /^R: 1 line of javascript, score 85\/100 — 1 error, 0 warnings/,
    );
  });
});
