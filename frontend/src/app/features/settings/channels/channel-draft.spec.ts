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
    });
    expect('secret' in edited).toBe(false);
    expect(toRequest({ ...draftOf(channel()), secret: 'new-pass' }, true).secret).toBe('new-pass');
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
