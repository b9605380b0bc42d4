export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  line: number;
  rule: string;
  severity: Severity;
  message: string;
}

export interface Review {
  lines: number;
  language: 'python' | 'javascript';
  score: number;
  findings: Finding[];
}

interface LineRule {
  rule: string;
  severity: Severity;
  pattern: RegExp;
  message: string | ((match: RegExpExecArray) => string);
  /** Rules that mean something else (or nothing) in the other language. */
  only?: Review['language'];
}

const MAX_LINE = 120;
const MAX_DEPTH = 4;
const MAX_FINDINGS = 60;

const LINE_RULES: LineRule[] = [
  {
    rule: 'todo',
    severity: 'info',
    pattern: /\b(TODO|FIXME|XXX|HACK)\b/,
    message: (m) => `${m[1]} left in the code: track it in an issue`,
  },
  {
    rule: 'console-log',
    severity: 'warning',
    pattern: /\bconsole\.(log|debug|info|trace|dir)\s*\(/,
    message: 'Debug logging left in; use the project logger',
    only: 'javascript',
  },
  {
    rule: 'print',
    severity: 'warning',
    pattern: /^\s*print\s*\(/,
    message: 'print() left in; use logging',
    only: 'python',
  },
  {
    rule: 'debugger',
    severity: 'error',
    pattern: /^\s*(debugger\b|breakpoint\(\)|import pdb)/,
    message: 'Debugger statement left in',
  },
  {
    rule: 'any-type',
    severity: 'warning',
    pattern: /:\s*any\b|\bas\s+any\b|<any>/,
    message: '`any` switches type checking off here; name the type or use `unknown`',
    only: 'javascript',
  },
  {
    rule: 'loose-equality',
    severity: 'warning',
    pattern: /[^=!<>]==(?!=)|!=(?!=)/,
    message: 'Loose equality coerces types; use === or !==',
    only: 'javascript',
  },
  {
    rule: 'var',
    severity: 'info',
    pattern: /^\s*var\s/,
    message: '`var` is function-scoped; use const or let',
    only: 'javascript',
  },
  {
    rule: 'eval',
    severity: 'error',
    pattern: /(?<![.\w])(eval|exec)\s*\(|\bnew Function\s*\(/,
    message: 'Dynamic code execution: an injection risk',
  },
  {
    rule: 'hardcoded-secret',
    severity: 'error',
    pattern: /\b(password|passwd|secret|api[_-]?key|access[_-]?token)\b["']?\s*[:=]\s*["'][^"']{4,}["']/i,
    message: (m) => `Hard-coded ${m[1]}: load it from configuration or a secret store`,
  },
  { rule: 'trailing-whitespace', severity: 'info', pattern: /\S[ \t]+$/, message: 'Trailing whitespace' },
];

/** A real, if modest, review: line rules, empty catch blocks, long lines and deep nesting. */
export function reviewHeuristically(code: string): Review {
  const lines = code.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const language = detectLanguage(code);
  const findings: Finding[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.length > MAX_LINE) {
      findings.push({
        line,
        rule: 'long-line',
        severity: 'info',
        message: `Line is ${text.length} characters (limit ${MAX_LINE})`,
      });
    }
    for (const rule of LINE_RULES) {
      if (rule.only && rule.only !== language) continue;
      const match = rule.pattern.exec(text);
      if (!match) continue;
      const message = typeof rule.message === 'string' ? rule.message : rule.message(match);
      findings.push({ line, rule: rule.rule, severity: rule.severity, message });
    }
  });
  findings.push(...emptyCatches(code), ...deepNesting(lines, language));
  findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
  const kept = findings.slice(0, MAX_FINDINGS);
  return { lines: lines.length, language, score: score(findings), findings: kept };
}

/** Plain text for people and for the Butler. */
export function formatReview(review: Review, heading: string): string {
  const count = (s: Severity) => review.findings.filter((f) => f.severity === s).length;
  const head = `${heading}: ${plural(review.lines, 'line')} of ${review.language}, score ${review.score}/100 — ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}.`;
  if (review.findings.length === 0) return `${head}\nNothing to flag. Looks clean.`;
  return [head, ...review.findings.map((f) => `- L${f.line} ${f.severity} [${f.rule}] ${f.message}`)].join('\n');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function detectLanguage(code: string): Review['language'] {
  const python = /^\s*(def |class \w+(\(.*\))?:|from \w+ import|import \w+\s*$|elif |except\b)/m.test(code);
  const js = /[;{}]\s*$|\b(const|let|function|=>|interface)\b/m.test(code);
  return python && !js ? 'python' : 'javascript';
}

function emptyCatches(code: string): Finding[] {
  const findings: Finding[] = [];
  const patterns = [/\bcatch\s*(\([^)]*\))?\s*\{\s*\}/g, /\bexcept\b[^:\n]*:\s*\n\s*pass\b/g];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const line = code.slice(0, match.index).split('\n').length;
      findings.push({
        line,
        rule: 'empty-catch',
        severity: 'warning',
        message: 'Empty catch swallows the error: handle it, log it, or say why not',
      });
    }
  }
  return findings;
}

/** Braces for JS-like code, indentation for Python; one finding per block that goes too deep. */
function deepNesting(lines: readonly string[], language: Review['language']): Finding[] {
  const findings: Finding[] = [];
  let depth = 0;
  let reported = false;
  lines.forEach((text, index) => {
    const code = text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$|#.*$/, '');
    const level =
      language === 'python' ? Math.floor((text.match(/^\s*/)?.[0].replace(/\t/g, '    ').length ?? 0) / 4) : depth;
    if (code.trim() && level > MAX_DEPTH && !reported) {
      findings.push({
        line: index + 1,
        rule: 'deep-nesting',
        severity: 'warning',
        message: `Nested ${level} levels deep; extract a function or return early`,
      });
      reported = true;
    }
    if (level <= MAX_DEPTH) reported = false;
    for (const char of code) depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    depth = Math.max(0, depth);
  });
  return findings;
}

function score(findings: readonly Finding[]): number {
  const weight: Record<Severity, number> = { error: 15, warning: 5, info: 1 };
  return Math.max(0, 100 - findings.reduce((sum, f) => sum + weight[f.severity], 0));
}
