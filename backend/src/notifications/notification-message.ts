import type { NotificationEvent, WebhookPayload } from '@echocenter/contracts';
import type { Approval } from '../approvals/approval.entity';

/** One link per recipient admin (the same page decides approve or reject). */
export interface MessageLink {
  actorId: number;
  name: string;
  url: string;
}

/** Everything a channel renders, already resolved (names, links, time left), channel-neutral. */
export interface NotificationMessage {
  event: NotificationEvent | 'test';
  idempotencyKey: string;
  approval: Approval | null;
  requesterName: string;
  links: MessageLink[];
  /** When it was built: what "time left" is counted from. */
  now: Date;
}

const TITLES: Record<NotificationEvent | 'test', string> = {
  'approval.requested': 'Approval requested',
  'approval.expiring': 'Approval expiring soon',
  'approval.decided': 'Approval decided',
  'command.failed': 'Approved command failed',
  test: 'EchoCenter test notification',
};

export function titleOf(m: NotificationMessage): string {
  return m.approval ? `${TITLES[m.event]}: #${m.approval.id} ${m.approval.agentName}` : TITLES[m.event];
}

/** "12 min left", "expired" (or in Chinese, for the link page): for people reading on a phone. */
export function timeLeft(expiresAt: Date, now: Date, lang: 'en' | 'zh' = 'en'): string {
  const ms = expiresAt.getTime() - now.getTime();
  const zh = lang === 'zh';
  if (ms <= 0) return zh ? '已过期' : 'expired';
  const min = Math.floor(ms / 60000);
  if (min < 1) return zh ? `剩余 ${Math.ceil(ms / 1000)} 秒` : `${Math.ceil(ms / 1000)} s left`;
  if (min < 120) return zh ? `剩余 ${min} 分钟` : `${min} min left`;
  return zh ? `剩余 ${Math.floor(min / 60)} 小时 ${min % 60} 分钟` : `${Math.floor(min / 60)} h ${min % 60} min left`;
}

/** Control, format (bidi, zero-width) and line-separator characters, which could hide part of a command. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** The command with every invisible character spelled out (`<U+202E>`), so what is read is what runs. */
export function visibleCommand(command: string): string {
  return command.replace(INVISIBLE, (c) =>
    c === '\n' ? '<U+000A>\n' : `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/** A line of facts, shared by the chat cards and the e-mail. */
export function facts(m: NotificationMessage): { label: string; value: string }[] {
  const a = m.approval;
  if (!a) return [{ label: 'Message', value: 'This channel works: EchoCenter can reach it.' }];
  const rows = [
    { label: 'Agent', value: a.agentName },
    { label: 'Requested by', value: m.requesterName },
    { label: 'Status', value: a.status },
  ];
  if (a.status === 'PENDING') rows.push({ label: 'Time left', value: timeLeft(a.expiresAt, m.now) });
  if (a.decidedByName)
    rows.push({
      label: 'Decided by',
      value: `${a.decidedByName}${a.decisionChannel ? ` (${a.decisionChannel.toLowerCase()})` : ''}`,
    });
  if (a.decisionReason) rows.push({ label: 'Reason', value: a.decisionReason });
  if (a.result && (a.status === 'FAILED' || a.status === 'TIMED_OUT')) rows.push({ label: 'Result', value: a.result });
  return rows;
}

/** The generic webhook's JSON body. */
export function webhookPayload(m: NotificationMessage): WebhookPayload {
  const a = m.approval;
  return {
    event: m.event,
    idempotencyKey: m.idempotencyKey,
    sentAt: m.now.toISOString(),
    approval: a
      ? {
          id: a.id,
          status: a.status,
          command: a.command,
          agentName: a.agentName,
          requestedBy: m.requesterName,
          reasoning: a.reasoning,
          expiresAt: a.expiresAt.toISOString(),
          decidedBy: a.decidedByName,
          decisionReason: a.decisionReason,
          result: a.result,
        }
      : null,
    links: m.links,
  };
}

/** Caps a field for chat cards, which truncate or refuse long texts. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
