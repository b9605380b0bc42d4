/** Reading environment variables for loadConfig: typed readers that collect every problem with the names. */

export type Env = Record<string, string | undefined>;

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "24h", "15m", "900" (seconds) into seconds; null when malformed. */
export function durationToSeconds(value: string): number | null {
  const m = DURATION.exec(value.trim());
  if (!m) return null;
  return Math.floor(Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']);
}

/** Collects every problem instead of failing on the first, so one start tells the whole story. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  str(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  optional(name: string): string | null {
    const v = this.env[name];
    return v === undefined || v === '' ? null : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}="${raw}" must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return n;
  }

  /** `a,b` (two integers) or one integer for both. */
  intPair(name: string, fallback: [number, number], min: number, max: number): [number, number] {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const parts = raw.split(',').map((p) => Number(p.trim()));
    const pair: [number, number] = parts.length === 1 ? [parts[0], parts[0]] : [parts[0], parts[1]];
    if (parts.length > 2 || pair.some((n) => !Number.isInteger(n) || n < min || n > max)) {
      this.problems.push(`${name}="${raw}" must be one integer or two (humans,agents) between ${min} and ${max}`);
      return fallback;
    }
    return pair;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}="${raw}" must be one of true/false/on/off/1/0`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name}="${raw}" must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  }

  duration(name: string, fallback: string): { text: string; seconds: number } {
    const text = this.str(name, fallback);
    const seconds = durationToSeconds(text);
    if (seconds === null || seconds <= 0) {
      this.problems.push(`${name}="${text}" must be a duration such as 900, 15m, 24h or 7d`);
      return { text: fallback, seconds: durationToSeconds(fallback) ?? 0 };
    }
    return { text, seconds };
  }

  url(name: string, protocols: string[]): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error();
      return raw;
    } catch {
      this.problems.push(`${name}="${redactUrl(raw)}" must be a URL with protocol ${protocols.join(' or ')}`);
      return null;
    }
  }
}

function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
