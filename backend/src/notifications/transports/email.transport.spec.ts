import type { Approval } from '../../approvals/approval.entity';
import type { NotificationMessage } from '../notification-message';
import { emailBodies } from './email.transport';

describe('e-mail bodies', () => {
  // What an agent or a model may put in a command, its reasoning or its name: markup meant to end the <pre>.
  const command = `rm -rf /tmp/x</pre><script>alert(1)</script><a href="https://evil.example">Approve</a> & 'q'\u202E`;
  const message: NotificationMessage = {
    event: 'approval.requested',
    idempotencyKey: 'approval.requested:7:c1:r1',
    approval: {
      id: 7,
      agentName: '<img src=x onerror=alert(2)>',
      command,
      reasoning: '<b>trust me</b>',
      status: 'PENDING',
      expiresAt: new Date('2026-01-01T00:10:00Z'),
      decidedByName: null,
      decisionChannel: null,
      decisionReason: null,
      result: null,
    } as unknown as Approval,
    requesterName: 'alice',
    links: [{ actorId: 1, name: 'admin', url: 'https://hub/a/eca_x' }],
    now: new Date('2026-01-01T00:00:00Z'),
  };

  it('escapes a hostile command, reasoning and agent name in the HTML body: shown character for character, never markup', () => {
    const { html } = emailBodies(message, 'https://hub/a/eca_x');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>trust me');
    expect(html).not.toContain('evil.example">');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('href="https://hub/a/eca_x"');
    const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html)![1];
    expect(pre).not.toMatch(/[<>"']/);
    const unescaped = pre
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    // The command as it will run, its invisible character spelled out.
    expect(unescaped).toBe(command.replace('\u202E', '<U+202E>'));
  });

  it('puts the command in the text body as it is (plain text is never rendered) and the link once', () => {
    const { text, subject } = emailBodies(message, 'https://hub/a/eca_x');
    expect(text).toContain(command.replace('\u202E', '<U+202E>'));
    expect(text.match(/https:\/\/hub\/a\/eca_x/g)).toHaveLength(1);
    expect(subject).toMatch(/^\[EchoCenter\] /);
    expect(emailBodies(message, null).html).not.toContain('<a ');
  });
});
