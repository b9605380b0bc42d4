/**
 * Agents often answer with JSON, which reads badly as one flattened paragraph in a chat bubble. A message
 * that is JSON, or text followed by a JSON block ("Storage-Custodian answered "get_status":\n{...}"), is
 * rewritten as Markdown: a flat object becomes a key/value table, an array of flat objects a table, a list
 * of plain values a list, anything deeper pretty-printed code. Byte counts and durations named as such
 * ("freeBytes", "uptime_ms") are shown as people read them (77.6 GiB, 15 min).
 */
export function jsonToMarkdown(text: string, lang = 'en'): string | null {
  const start = text.search(/^[ \t]*[{[]/m);
  if (start < 0) return null;
  const head = text.slice(0, start).trim();
  const body = text.slice(start).trim();
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const rendered = render(value, lang);
  return head ? `${head}\n\n${rendered}` : rendered;
}

type Flat = Record<string, string | number | boolean | null>;

const isPlain = (v: unknown): v is string | number | boolean | null =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isFlat = (v: unknown): v is Flat =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isPlain);

function render(value: object, lang: string): string {
  if (isFlat(value) && Object.keys(value).length) {
    return table(
      ['', ''],
      Object.entries(value).map(([k, v]) => [cell(k), show(k, v, lang)]),
      true,
    );
  }
  if (Array.isArray(value) && value.length) {
    if (value.every(isPlain)) return value.map((v) => `- ${cell(String(v))}`).join('\n');
    if (value.every(isFlat)) {
      const keys = [...new Set(value.flatMap((row) => Object.keys(row)))];
      return table(
        keys,
        value.map((row) => keys.map((k) => show(k, row[k] ?? null, lang))),
      );
    }
  }
  return '```json\n' + JSON.stringify(value, null, 2).replace(/```/g, '`\u200b``') + '\n```';
}

function table(header: string[], rows: string[][], keyValue = false): string {
  // GFM needs a header row; a key/value table's is left empty (its keys are in the first column).
  const head = keyValue ? header.map(() => ' ') : header.map(cell);
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** A table cell: pipes and line breaks would end the cell or the row. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function show(key: string, v: string | number | boolean | null, lang: string): string {
  if (typeof v === 'number' && /bytes?$/i.test(key)) return bytes(v, lang);
  if (typeof v === 'number' && /(_ms|Ms|millis)$/.test(key)) return duration(v / 1000, lang);
  if (typeof v === 'number' && /(_s|_sec|_seconds|Seconds|Secs)$/.test(key)) return duration(v, lang);
  return cell(v === null ? '—' : String(v));
}

/** 83_348_234_240 → "77.6 GiB": binary units, as disks and memory are reported. */
export function bytes(n: number, lang = 'en'): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

/** 900 s → "15 min", 90 s → "1.5 min": the largest unit that keeps the number readable, in the viewer's language. */
export function duration(seconds: number, lang = 'en'): string {
  const steps: Array<[Intl.NumberFormatOptions['unit'], number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = steps.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(
    seconds / size,
  );
}
