import type { ApprovalTxEvent } from '../approvals/approval-tx-hooks';
import type { Approval } from '../approvals/approval.entity';
import { LinkCsrf, readCookie } from './link-csrf';
import { timeLeft, visibleCommand, type NotificationMessage } from './notification-message';
import { notificationEventFor } from './notification-outbox';
import { feishuCard, feishuSign } from './transports/feishu.transport';
import { slackMessage } from './transports/slack.transport';
import { signWebhook } from './transports/webhook.transport';

// Expected values computed independently (Python's hmac module), not by the code under test.
describe('signatures', () => {
  it('signs webhooks as HMAC-SHA256(secret, "<timestamp>.<body>") in hex, prefixed v1=', () => {
    expect(signWebhook('whsec_test', 1764990000, '{"a":1}')).toBe(
      'v1=7cdff3110cde8cf60ad68c1edb30f164d09a207a58120c4691694bd949e85919',
    );
  });

  it('signs Feishu bots with the key "<timestamp>\\n<secret>" over an empty message, base64', () => {
    expect(feishuSign('demo-secret', 1599360473)).toBe('3/MaVZ8JLIy4TUG+7KSFJqvUkTKd+HWY8g+56DZWq8s=');
  });
});

describe('link CSRF tokens', () => {
  const csrf = new LinkCsrf('a-server-secret-of-enough-length-123456');

  it('accepts the pair it issued for that link only', () => {
    const { nonce, field } = csrf.issue('hash-of-link-a');
    expect(csrf.verify('hash-of-link-a', nonce, field)).toBe(true);
    expect(csrf.verify('hash-of-link-b', nonce, field)).toBe(false);
    expect(csrf.verify('hash-of-link-a', undefined, field)).toBe(false);
    expect(csrf.verify('hash-of-link-a', 'other-nonce', field)).toBe(false);
    expect(csrf.verify('hash-of-link-a', nonce, `${nonce}.forged`)).toBe(false);
    expect(new LinkCsrf('another-server-secret-of-enough-length').verify('hash-of-link-a', nonce, field)).toBe(false);
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; ec_link_csrf=abc.def; b=2', 'ec_link_csrf')).toBe('abc.def');
    expect(readCookie(undefined, 'ec_link_csrf')).toBeUndefined();
  });
});

describe('message content', () => {
  const approval = {
    id: 7,
    agentName: 'Storage-Custodian',
    command: 'rm -rf /tmp/x\u202E; echo',
    reasoning: '<@channel> please',
    status: 'PENDING',
    expiresAt: new Date('2026-01-01T00:10:00Z'),
    decidedByName: null,
    decisionChannel: null,
    decisionReason: null,
    result: null,
  } as unknown as Approval;
  const message: NotificationMessage = {
    event: 'approval.requested',
    idempotencyKey: 'approval.requested:7:c1',
    approval,
    requesterName: 'alice',
    links: [{ actorId: 1, name: 'admin', url: 'https://hub/a/eca_x' }],
    now: new Date('2026-01-01T00:00:00Z'),
  };

  it('spells out invisible characters so the command reads as it runs', () => {
    expect(visibleCommand('a\u202Eb\u200Bc\td')).toBe('a<U+202E>b<U+200B>c<U+0009>d');
  });

  it('says the time left in words', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(timeLeft(new Date('2026-01-01T00:10:00Z'), now)).toBe('10 min left');
    expect(timeLeft(new Date('2026-01-01T00:00:30Z'), now)).toBe('30 s left');
    expect(timeLeft(new Date('2026-01-01T03:05:00Z'), now)).toBe('3 h 5 min left');
    expect(timeLeft(now, now)).toBe('expired');
    expect(timeLeft(new Date('2026-01-01T00:10:00Z'), now, 'zh')).toBe('剩余 10 分钟');
  });

  it('renders Slack blocks with the command made visible, inert model text and two buttons per admin', () => {
    const text = JSON.stringify(slackMessage(message));
    expect(text).toContain('rm -rf /tmp/x&lt;U+202E&gt;; echo');
    expect(text).not.toContain('<@channel>');
    expect(text).toContain('&lt;@channel&gt;');
    expect(text).toContain('10 min left');
    expect(text).toContain('https://hub/a/eca_x?d=approve');
    expect(text).toContain('https://hub/a/eca_x?d=reject');
  });

  it('shows a hostile command on Slack character for character: no mention, no link, no entity read as another character', () => {
    const command = "echo '<!channel>' <https://evil.example|the docs> &lt;b&gt; && cat <<<x";
    const hostile: NotificationMessage = {
      ...message,
      approval: { ...approval, command, agentName: '<!here> bot' } as unknown as Approval,
    };
    const built = slackMessage(hostile) as { text: string; blocks: { text?: { text: string } }[] };
    const code = built.blocks.map((b) => b.text?.text ?? '').find((t) => t.startsWith('*Command*'))!;
    const inBlock = /```([\s\S]*)```/.exec(code)![1];
    // Slack's three control characters are escaped, so what Slack shows (it unescapes them) is the command itself.
    expect(inBlock).not.toMatch(/[<>]/);
    const shown = inBlock.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(shown).toBe(command);
    expect(built.text).not.toContain('<!here>');
    // Every text Slack parses (mrkdwn, and the fallback) is inert; plain_text (the header, buttons) is shown as is.
    const mrkdwn = JSON.stringify(built, (k, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: string }).type === 'plain_text' ? undefined : v,
    );
    expect(mrkdwn).not.toMatch(/<!(channel|here)>|<https:\/\/evil/);
  });

  it('renders agent, reason and result on a Feishu card as plain text (no lark_md that could link or @all)', () => {
    const hostile: NotificationMessage = {
      ...message,
      event: 'command.failed',
      approval: {
        ...approval,
        agentName: '[Approve](https://evil.example)',
        status: 'FAILED',
        decidedByName: 'admin',
        decisionReason: '<at id=all></at> **urgent**',
        result: 'error: see [here](https://evil.example/x)',
      } as unknown as Approval,
    };
    const card = feishuCard(hostile) as { elements: { fields?: { text: { tag: string; content: string } }[] }[] };
    const fields = card.elements.flatMap((e) => e.fields ?? []);
    expect(fields.map((f) => f.text.tag)).toEqual(fields.map(() => 'plain_text'));
    const contents = fields.map((f) => f.text.content).join('\n');
    expect(contents).toContain('[Approve](https://evil.example)');
    expect(contents).toContain('<at id=all></at> **urgent**');
    expect(contents).toContain('error: see [here](https://evil.example/x)');
    expect(JSON.stringify(card)).not.toContain('lark_md');
  });

  it('tells a command that failed or timed out, never one that succeeded', () => {
    const at = (status: string) => ({ moment: 'finished', approval: { status } }) as unknown as ApprovalTxEvent;
    expect(notificationEventFor(at('FAILED'))).toBe('command.failed');
    expect(notificationEventFor(at('TIMED_OUT'))).toBe('command.failed');
    expect(notificationEventFor(at('SUCCEEDED'))).toBeNull();
  });

  it('renders a Feishu card with the same facts and buttons', () => {
    const card = JSON.stringify(feishuCard(message));
    expect(card).toContain('rm -rf /tmp/x<U+202E>; echo');
    expect(card).toContain('alice');
    expect(card).toContain('https://hub/a/eca_x?d=approve');
  });
});
