import { clip, facts, titleOf, visibleCommand, type NotificationMessage } from '../notification-message';
import { postJson, type Transport } from './transport';

/** Block Kit for a Slack-compatible incoming webhook: facts, the command, the reasoning, link buttons. */
export function slackMessage(m: NotificationMessage): Record<string, unknown> {
  const title = titleOf(m);
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: clip(title, 150) } }];
  blocks.push({
    type: 'section',
    fields: facts(m)
      .map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${clip(escapeMrkdwn(f.value), 1900)}` }))
      .slice(0, 10),
  });
  if (m.approval) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        // Escaped inside the code block too: Slack reads &, < and > as markup there as well, so `&lt;` would show
        // as `<`, and `<!channel>` or `<https://x|text>` could ping or disguise a link.
        text: `*Command*\n\`\`\`${clip(escapeMrkdwn(visibleCommand(m.approval.command)).replace(/```/g, "'''"), 2800)}\`\`\``,
      },
    });
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Reasoning*\n${clip(escapeMrkdwn(m.approval.reasoning), 2900) || '—'}` },
    });
  }
  if (m.links.length) {
    // Slack allows 25 elements in an actions block: two buttons per admin.
    const elements = m.links.slice(0, 12).flatMap((l) => [
      {
        type: 'button',
        style: 'primary',
        text: { type: 'plain_text', text: clip(`Approve (${l.name})`, 75) },
        url: `${l.url}?d=approve`,
        action_id: `approve-${l.actorId}`,
      },
      {
        type: 'button',
        style: 'danger',
        text: { type: 'plain_text', text: clip(`Reject (${l.name})`, 75) },
        url: `${l.url}?d=reject`,
        action_id: `reject-${l.actorId}`,
      },
    ]);
    blocks.push({ type: 'actions', elements });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Each button opens a one-time page for that admin; nothing is decided until it is confirmed there.',
        },
      ],
    });
  }
  // `text` is the notification's fallback (phones, screen readers), read as mrkdwn too: it has the agent's name.
  return { text: escapeMrkdwn(title), blocks };
}

/** Model and agent text must not ping channels or turn into links (Slack's three control characters). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const sendSlack: Transport = ({ channel, message, timeoutMs }) =>
  postJson(
    channel.url!,
    JSON.stringify(slackMessage(message)),
    { 'idempotency-key': message.idempotencyKey },
    timeoutMs,
    (text) => (text.trim() === 'ok' || text.trim() === '' ? null : `Slack answered: ${clip(text, 120)}`),
  );
