import type { LogDto } from '@echocenter/contracts';

export interface AuditRules {
  /** This many ERROR logs from one source within the window is a burst. */
  errorBurst: { count: number; windowMs: number };
  /** This many failed logins for one user (or address) within the window. */
  failedLogins: { count: number; windowMs: number };
}

export const DEFAULT_RULES: AuditRules = {
  errorBurst: { count: 5, windowMs: 60_000 },
  failedLogins: { count: 3, windowMs: 5 * 60_000 },
};

export const FINDING_KINDS = ['error-burst', 'failed-logins', 'path-probe'] as const;

export interface AuditFinding {
  /** Stable per kind and subject, so a monitor can avoid repeating itself. */
  key: string;
  kind: (typeof FINDING_KINDS)[number];
  subject: string;
  count: number;
  firstAt: string;
  lastAt: string;
  message: string;
}

const FAILED_LOGIN =
  /\b(failed login|login failed|invalid credentials|INVALID_CREDENTIALS|authentication failed|wrong password|bad password)\b/i;
// Tried in order: "user admin" / "username=admin" names the user better than "for admin".
const LOGIN_USER = [/\b(?:user(?:name)?|account)\s*[=:]?\s*["']?([\w.@-]+)/i, /\bfor\s+["']?([\w.@-]+)/i];
const IP_ADDRESS = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;
const PATH_PROBE = /\brefused\b.*\boutside\b|\.\.[\\/]|\/etc\/(passwd|shadow)/i;

/** Finds suspicious patterns in a slice of the hub's log stream (any order). Pure, for easy testing. */
export function analyzeLogs(logs: readonly LogDto[], rules: AuditRules = DEFAULT_RULES): AuditFinding[] {
  const ordered = [...logs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const findings: AuditFinding[] = [];

  for (const [source, errors] of groupBy(
    ordered.filter((l) => l.level === 'ERROR'),
    sourceOf,
  )) {
    const burst = densest(errors, rules.errorBurst.windowMs);
    if (burst.length < rules.errorBurst.count) continue;
    findings.push(
      finding(
        'error-burst',
        source,
        burst,
        `Burst of ${burst.length} ERROR logs from ${source} within ${seconds(rules.errorBurst.windowMs)}`,
      ),
    );
  }

  const failedLogins = ordered.filter((l) => FAILED_LOGIN.test(l.content));
  for (const [subject, attempts] of groupBy(failedLogins, loginSubject)) {
    const burst = densest(attempts, rules.failedLogins.windowMs);
    if (burst.length < rules.failedLogins.count) continue;
    const addresses = [...new Set(burst.map((l) => IP_ADDRESS.exec(l.content)?.[1]).filter(Boolean))];
    const from = addresses.length ? ` from ${addresses.join(', ')}` : '';
    findings.push(
      finding(
        'failed-logins',
        subject,
        burst,
        `${burst.length} failed logins for ${subject}${from} within ${seconds(rules.failedLogins.windowMs)}`,
      ),
    );
  }

  for (const [source, probes] of groupBy(
    ordered.filter((l) => PATH_PROBE.test(l.content)),
    sourceOf,
  )) {
    const example = probes[probes.length - 1]!.content.slice(0, 160);
    findings.push(
      finding(
        'path-probe',
        source,
        probes,
        `${probes.length} attempt(s) to reach outside allowed paths via ${source}, latest: ${example}`,
      ),
    );
  }
  return findings;
}

function finding(kind: AuditFinding['kind'], subject: string, logs: readonly LogDto[], message: string): AuditFinding {
  return {
    key: `${kind}:${subject}`,
    kind,
    subject,
    count: logs.length,
    firstAt: logs[0]!.createdAt,
    lastAt: logs[logs.length - 1]!.createdAt,
    message,
  };
}

/** The largest run of entries that fits in one window (entries sorted by time). */
function densest(entries: readonly LogDto[], windowMs: number): LogDto[] {
  let best: LogDto[] = [];
  let start = 0;
  for (let end = 0; end < entries.length; end++) {
    const endAt = Date.parse(entries[end]!.createdAt);
    while (endAt - Date.parse(entries[start]!.createdAt) > windowMs) start += 1;
    if (end - start + 1 > best.length) best = entries.slice(start, end + 1);
  }
  return best;
}

function groupBy(logs: readonly LogDto[], keyOf: (log: LogDto) => string): Map<string, LogDto[]> {
  const groups = new Map<string, LogDto[]>();
  for (const log of logs) {
    const key = keyOf(log);
    groups.set(key, [...(groups.get(key) ?? []), log]);
  }
  return groups;
}

function sourceOf(log: LogDto): string {
  return log.agentName ?? 'the hub';
}

function loginSubject(log: LogDto): string {
  const content = log.content.replace(FAILED_LOGIN, '');
  const user = LOGIN_USER.map((pattern) => pattern.exec(content)?.[1]).find(Boolean);
  if (user) return `user "${user}"`;
  const ip = IP_ADDRESS.exec(log.content)?.[1];
  return ip ? `address ${ip}` : 'unknown users';
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
