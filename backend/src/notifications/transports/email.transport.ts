import { createTransport } from 'nodemailer';
import { facts, titleOf, visibleCommand, type NotificationMessage } from '../notification-message';
import type { DeliveryResult, Transport } from './transport';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain text and HTML bodies: the facts, the command as it will run, the reasoning, the recipient's link. */
export function emailBodies(
  m: NotificationMessage,
  link: string | null,
): { subject: string; text: string; html: string } {
  const subject = `[EchoCenter] ${titleOf(m)}`;
  const rows = facts(m);
  const a = m.approval;
  const text = [
    titleOf(m),
    '',
    ...rows.map((r) => `${r.label}: ${r.value}`),
    ...(a ? ['', 'Command:', visibleCommand(a.command), '', 'Reasoning:', a.reasoning || '—'] : []),
    ...(link
      ? [
          '',
          `Review and decide (one-time link, for you only): ${link}`,
          'Opening the link decides nothing; the page asks you to confirm.',
        ]
      : []),
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">
<h2 style="margin:0 0 12px">${escapeHtml(titleOf(m))}</h2>
<table cellpadding="4" style="border-collapse:collapse">${rows.map((r) => `<tr><th align="left">${escapeHtml(r.label)}</th><td>${escapeHtml(r.value)}</td></tr>`).join('')}</table>
${a ? `<h3>Command</h3><pre style="background:#f3f4f6;padding:8px;white-space:pre-wrap;word-break:break-all">${escapeHtml(visibleCommand(a.command))}</pre><h3>Reasoning</h3><p style="white-space:pre-wrap">${escapeHtml(a.reasoning || '—')}</p>` : ''}
${link ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;text-decoration:none;border-radius:6px">Review and decide</a></p><p style="color:#6b7280;font-size:12px">A one-time link for you only. Opening it decides nothing; the page asks you to confirm.</p>` : ''}
</body></html>`;
  return { subject, text, html };
}

/** One e-mail to one recipient over the channel's SMTP server; the SMTP password is the channel's secret. */
export const sendEmail: Transport = async ({ channel, secret, message, to, timeoutMs }): Promise<DeliveryResult> => {
  const smtp = channel.smtp!;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    // STARTTLS or no mail: a stripped STARTTLS would otherwise send the password and the links in the clear.
    requireTLS: !smtp.secure && !smtp.allowPlaintext,
    auth: smtp.username ? { user: smtp.username, pass: secret ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const link = message.links[0]?.url ?? null;
  const { subject, text, html } = emailBodies(message, link);
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: to!,
      subject,
      text,
      html,
      // A stable Message-ID: a retry after a lost answer is recognisable as the same message.
      messageId: `<${message.idempotencyKey.replace(/[^A-Za-z0-9.:-]/g, '-')}@echocenter>`,
      headers: { 'X-EchoCenter-Event': message.event },
    });
    return { ok: true, statusCode: Number(/^\d{3}/.exec(info.response)?.[0] ?? 250), error: null };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    return {
      ok: false,
      statusCode: e.responseCode ?? null,
      error: e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'SMTP error'),
    };
  } finally {
    transport.close();
  }
};
