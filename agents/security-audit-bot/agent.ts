import type { LogDto } from '@echocenter/contracts';
import type { Agent, AgentProgram } from '../sdk';
import { errorMessage } from '../sdk';
import { DEFAULT_RULES, analyzeLogs, type AuditFinding, type AuditRules } from './analyzer';
import { HubLogClient } from './log-client';
import { AUDIT_PREFIX, OwnLines } from './own-lines';

export { AUDIT_PREFIX };

export interface SecurityAuditBotOptions {
  /** The hub's REST origin and the token it accepts as Bearer (the agent's own). */
  url: string;
  token: string;
  /** Default 15 s. */
  pollIntervalMs?: number;
  rules?: Partial<AuditRules>;
  /** The same finding is not repeated within this time. Default 10 min. */
  cooldownMs?: number;
}

const MAX_WINDOW_MS = 24 * 3_600_000;
const SUMMARY_EVERY_POLLS = 20;

/** Security-Audit-Bot: reads the hub's log stream and reports error bursts, failed logins, path probes. */
export function createSecurityAuditBot(options: SecurityAuditBotOptions): AgentProgram {
  const rules: AuditRules = { ...DEFAULT_RULES, ...options.rules };
  const client = new HubLogClient(options.url, options.token);
  const own = new OwnLines(client);
  return {
    persona:
      "A terse security auditor. You read the hub's logs for error bursts and failed logins and report findings with counts and times; you never guess.",
    card: {
      description: "Audits the hub's log stream for error bursts and repeated failed logins.",
      version: '1.0.0',
      commands: [
        {
          name: 'audit',
          args: '[window, e.g. 15m, 2h]',
          description: 'Audits the logs of the last window (default 60m).',
          readOnly: true,
        },
      ],
    },
    start(agent) {
      agent.onCommand('audit', async (args, ctx) => {
        const windowMs = parseWindow(args || '60m');
        const logs = await own.skip(await client.since(new Date(Date.now() - windowMs), ctx.signal), ctx.signal);
        ctx.stream(`Read ${logs.length} log lines from the last ${args || '60m'}`);
        const findings = analyzeLogs(logs, rules);
        const summary =
          findings.length === 0 ? 'No suspicious pattern found.' : `${findings.length} suspicious pattern(s) found.`;
        return { window: args || '60m', reviewed: logs.length, summary, findings };
      });
      const monitor = new AuditMonitor(agent, client, own, rules, options.cooldownMs ?? 10 * 60_000);
      void monitor.poll();
      const timer = setInterval(() => void monitor.poll(), options.pollIntervalMs ?? 15_000);
      return () => clearInterval(timer);
    },
  };
}

/** Polls new logs, keeps the longest rule window of them, and raises each finding once per cooldown. */
class AuditMonitor {
  private readonly retentionMs: number;
  private recent: LogDto[] = [];
  // The first poll reads the recent past by time; later ones follow the stream by id.
  private lastId: number | undefined;
  private readonly alerted = new Map<string, number>();
  private lastError: string | undefined;
  private polls = 0;
  private busy = false;

  constructor(
    private readonly agent: Agent,
    private readonly client: HubLogClient,
    private readonly own: OwnLines,
    private readonly rules: AuditRules,
    private readonly cooldownMs: number,
  ) {
    this.retentionMs = Math.max(rules.errorBurst.windowMs, rules.failedLogins.windowMs);
  }

  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const fresh =
        this.lastId === undefined
          ? await this.client.since(new Date(Date.now() - this.retentionMs))
          : await this.client.after(this.lastId);
      const auditable = await this.own.skip(fresh);
      this.lastError = undefined;
      this.lastId = Math.max(this.lastId ?? 0, ...fresh.map((l) => l.id));
      this.recent.push(...auditable);
      const newest = this.recent[this.recent.length - 1];
      // The hub's clock, not ours, decides what is recent.
      const horizon = newest ? Date.parse(newest.createdAt) - this.retentionMs : -Infinity;
      this.recent = this.recent.filter((l) => Date.parse(l.createdAt) >= horizon);
      this.report(analyzeLogs(this.recent, this.rules));
    } catch (err) {
      // Said once, not on every poll, until it changes or recovers.
      const message = errorMessage(err);
      if (message !== this.lastError) this.agent.log('ERROR', `${AUDIT_PREFIX} cannot read the hub's logs: ${message}`);
      this.lastError = message;
    } finally {
      this.busy = false;
    }
  }

  private report(findings: AuditFinding[]): void {
    const now = Date.now();
    for (const finding of findings) {
      const last = this.alerted.get(finding.key);
      if (last !== undefined && now - last < this.cooldownMs) continue;
      this.alerted.set(finding.key, now);
      this.agent.log('WARNING', `${AUDIT_PREFIX} ${finding.message}`);
    }
    this.polls += 1;
    if (this.polls % SUMMARY_EVERY_POLLS === 1) {
      this.agent.log(
        'INFO',
        `${AUDIT_PREFIX} watching ${this.recent.length} recent log lines, ${findings.length} open finding(s)`,
      );
    }
  }
}

export function parseWindow(text: string): number {
  const match = /^(\d+)\s*(s|m|h)?$/i.exec(text.trim());
  if (!match) throw new Error(`window must look like 90s, 15m or 2h, got "${text}"`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'm').toLowerCase() as 's' | 'm' | 'h'];
  const ms = Number(match[1]) * unit;
  if (ms < 1_000 || ms > MAX_WINDOW_MS) throw new Error('window must be between 1s and 24h');
  return ms;
}
