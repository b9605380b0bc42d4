/** The "Add MCP server" form's multi-line fields, read into what the API takes. */

export type ParsedLines<T> = { ok: true; value: T } | { ok: false; line: string };

/** One argument per line; blank lines are skipped, nothing is split on spaces (paths may contain them). */
export function parseArgs(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** `NAME=value` (environment) or `Name: value` (headers) per line; the first bad line is reported. */
export function parsePairs(text: string, separator: '=' | ':'): ParsedLines<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(separator);
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (!key || /\s/.test(key)) return { ok: false, line: line.length > 40 ? `${line.slice(0, 40)}…` : line };
    out[key] = line.slice(at + 1).trim();
  }
  return { ok: true, value: out };
}
