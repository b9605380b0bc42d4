import { createHmac } from 'node:crypto';
import { clip, facts, titleOf, visibleCommand, type NotificationMessage } from '../notification-message';
import { postJson, type Transport } from './transport';

/**
 * Feishu / Lark custom-bot signature, as Feishu specifies: HMAC-SHA256 keyed with `<timestamp>\n<secret>`
 * over an empty message, base64; sent as `timestamp` (unix seconds, a string) and `sign` in the body.
 */
export function feishuSign(secret: string, timestamp: number): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/** An interactive card with the same content as the Slack message and two link buttons per admin. */
export function feishuCard(m: NotificationMessage): Record<string, unknown> {
  const pending = m.approval?.status === 'PENDING';
  const elements: Record<string, unknown>[] = [
    {
      tag: 'div',
      // plain_text: the values (agent name, decision reason, the command's result) come from agents, models and
      // people; in lark_md a `[text](url)` or `<at id=all>` there would render, and its escaping is not documented.
      fields: facts(m).map((f) => ({
        is_short: f.value.length < 40,
        text: { tag: 'plain_text', content: `${f.label}:\n${clip(f.value, 1000)}` },
      })),
    },
  ];
  if (m.approval) {
    elements.push({
      tag: 'div',
      text: { tag: 'plain_text', content: `Command:\n${clip(visibleCommand(m.approval.command), 3000)}` },
    });
    elements.push({
      tag: 'div',
      text: { tag: 'plain_text', content: `Reasoning:\n${clip(m.approval.reasoning, 3000) || '—'}` },
    });
  }
  if (m.links.length) {
    elements.push({
      tag: 'action',
      actions: m.links.slice(0, 10).flatMap((l) => [
        {
          tag: 'button',
          type: 'primary',
          text: { tag: 'plain_text', content: `Approve (${l.name})` },
          url: `${l.url}?d=approve`,
        },
        {
          tag: 'button',
          type: 'danger',
          text: { tag: 'plain_text', content: `Reject (${l.name})` },
          url: `${l.url}?d=reject`,
        },
      ]),
    });
  }
  return {
    config: { wide_screen_mode: true },
    header: {
      template: pending ? 'orange' : m.event === 'command.failed' ? 'red' : 'blue',
      title: { tag: 'plain_text', content: clip(titleOf(m), 100) },
    },
    elements,
  };
}

export const sendFeishu: Transport = ({ channel, secret, message, timeoutMs }) => {
  const timestamp = Math.floor(message.now.getTime() / 1000);
  const body: Record<string, unknown> = { msg_type: 'interactive', card: feishuCard(message) };
  if (secret) Object.assign(body, { timestamp: String(timestamp), sign: feishuSign(secret, timestamp) });
  // Feishu answers 200 with a non-zero `code` (e.g. 19021 sign match fail) when it refuses a message.
  return postJson(channel.url!, JSON.stringify(body), {}, timeoutMs, (text) => {
    try {
      const r = JSON.parse(text) as { code?: number; StatusCode?: number; msg?: string };
      const code = r.code ?? r.StatusCode ?? 0;
      return code === 0 ? null : `Feishu refused (${code}${r.msg ? `: ${clip(r.msg, 80)}` : ''})`;
    } catch {
      return null;
    }
  });
};
