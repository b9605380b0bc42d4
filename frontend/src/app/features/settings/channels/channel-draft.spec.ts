import type { NotificationChannelDto } from '@echocenter/contracts';
import { draftOf, emptyDraft, problemOf, toRequest } from './channel-draft';

const channel = (over: Partial<NotificationChannelDto> = {}): NotificationChannelDto => ({
  id: 4,
  name: 'mail',
  kind: 'EMAIL',
  enabled: true,
  url: null,
  smtp: { host: 'smtp.example.com', port: 587, secure: false, username: 'hub', from: 'Hub <hub@example.com>' },
  events: ['approval.requested'],
  recipients: [{ actorId: 1, address: 'admin@example.com' }],
  hasSecret: true,
  linksRequireSignIn: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('channel drafts', () => {
  it('says what is missing before a channel can be saved', () => {
    const d = emptyDraft('WEBHOOK');
    expect(problemOf(d)).toBe('channels.needName');
    expect(problemOf({ ...d, name: 'ops' })).toBe('channels.needUrl');
    expect(problemOf({ ...d, name: 'ops', url: 'https://x.example/hook', events: [] })).toBe('channels.needEvent');
    expect(problemOf({ ...d, name: 'ops', url: 'https://x.example/hook', everyAdmin: false })).toBe(
      'channels.needRecipients',
    );
    expect(problemOf({ ...d, name: 'ops', url: 'https://x.example/hook' })).toBeNull();
    const mail = { ...emptyDraft('EMAIL'), name: 'mail', smtpHost: 'smtp', smtpFrom: 'a@b.c' };
    expect(problemOf(mail)).toBe('channels.needAddresses');
    expect(problemOf({ ...mail, recipients: [{ actorId: 1, address: '' }] })).toBe('channels.needAddresses');
    expect(problemOf({ ...mail, recipients: [{ actorId: 1, address: 'a@b.c' }] })).toBeNull();
  });

  it('sends every admin as null, keeps a stored secret on edit (empty field) and asks for a webhook secret rotation only when ticked', () => {
    const hook = { ...emptyDraft('WEBHOOK'), name: ' ops ', url: 'https://x.example/hook ' };
    expect(toRequest(hook, false)).toEqual({
      name: 'ops',
      kind: 'WEBHOOK',
      enabled: true,
      url: 'https://x.example/hook',
      events: ['approval.requested', 'approval.expiring'],
      recipients: null,
      linksRequireSignIn: true,
    });
    expect(toRequest({ ...hook, rotateSecret: true }, true).rotateSecret).toBe(true);

    const edited = toRequest(draftOf(channel()), true);
    expect(edited).toEqual({
      name: 'mail',
      kind: 'EMAIL',
      enabled: true,
      events: ['approval.requested'],
      recipients: [{ actorId: 1, address: 'admin@example.com' }],
      smtp: { host: 'smtp.example.com', port: 587, secure: false, username: 'hub', from: 'Hub <hub@example.com>' },
      linksRequireSignIn: false,
    });
    expect('secret' in edited).toBe(false);
    expect(toRequest({ ...draftOf(channel()), secret: 'new-pass' }, true).secret).toBe('new-pass');
  });

  it('has links ask for the password by default where many read them (chat rooms, webhooks), not for e-mail', () => {
    for (const kind of ['WEBHOOK', 'SLACK', 'FEISHU'] as const) expect(emptyDraft(kind).linksRequireSignIn).toBe(true);
    expect(emptyDraft('EMAIL').linksRequireSignIn).toBe(false);
    const hook = draftOf(
      channel({ kind: 'WEBHOOK', url: 'https://x.example/h', smtp: null, linksRequireSignIn: true }),
    );
    expect(toRequest({ ...hook, linksRequireSignIn: false }, true).linksRequireSignIn).toBe(false);
    const mail = { ...emptyDraft('EMAIL'), smtpAllowPlaintext: true, smtpHost: 'relay', smtpFrom: 'a@b.c' };
    expect(toRequest(mail, false).smtp).toMatchObject({ allowPlaintext: true });
    expect('allowPlaintext' in toRequest(emptyDraft('EMAIL'), false).smtp!).toBe(false);
  });

  it('asks for the secret again when an edit moves a channel that has one', () => {
    const mail = draftOf(channel());
    expect(problemOf(mail)).toBeNull();
    for (const moved of [
      { smtpHost: 'evil.example' },
      { smtpPort: '25' },
      { smtpUsername: 'x' },
      { smtpAllowPlaintext: true },
    ])
      expect(problemOf({ ...mail, ...moved })).toBe('channels.needSecretAgain');
    expect(problemOf({ ...mail, smtpHost: 'evil.example', secret: 'pass' })).toBeNull();
    expect(problemOf({ ...draftOf(channel({ hasSecret: false })), smtpHost: 'other' })).toBeNull();

    const feishu = draftOf(
      channel({ kind: 'FEISHU', url: 'https://open.feishu.cn/…abcd', smtp: null, recipients: null }),
    );
    expect(problemOf({ ...feishu, url: 'https://evil.example/hook' })).toBe('channels.needSecretAgain');
    const hook = draftOf(channel({ kind: 'WEBHOOK', url: 'https://x.example/h', smtp: null, recipients: null }));
    expect(problemOf({ ...hook, url: 'https://y.example/h' })).toBe('channels.needRotate');
    expect(problemOf({ ...hook, url: 'https://y.example/h', rotateSecret: true })).toBeNull();
    const slack = draftOf(
      channel({ kind: 'SLACK', url: 'https://hooks.slack.com/…wxyz', smtp: null, recipients: null }),
    );
    expect(problemOf({ ...slack, url: 'https://hooks.slack.com/services/new' })).toBeNull();
  });

  it('leaves a masked Slack or Feishu URL out on edit, so the stored one is kept', () => {
    const slack = draftOf(
      channel({ kind: 'SLACK', url: 'https://hooks.slack.com/…wxyz', smtp: null, recipients: null }),
    );
    expect('url' in toRequest(slack, true)).toBe(false);
    expect(toRequest({ ...slack, url: 'https://hooks.slack.com/services/new' }, true).url).toBe(
      'https://hooks.slack.com/services/new',
    );
  });

  it('orders events as the hub lists them, whatever order they were ticked in', () => {
    const d = {
      ...emptyDraft('SLACK'),
      name: 's',
      url: 'https://hooks.example/x',
      events: ['command.failed', 'approval.requested'] as const,
    };
    expect(toRequest({ ...d, events: [...d.events] }, false).events).toEqual(['approval.requested', 'command.failed']);
  });
});
