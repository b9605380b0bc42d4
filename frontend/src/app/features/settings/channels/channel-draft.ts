import type {
  ChannelKind,
  NotificationChannelDto,
  NotificationChannelRequest,
  NotificationEvent,
} from '@echocenter/contracts';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['WEBHOOK', 'SLACK', 'FEISHU', 'EMAIL'];
export const EVENTS: readonly NotificationEvent[] = [
  'approval.requested',
  'approval.expiring',
  'approval.decided',
  'command.failed',
];

/** What the add/edit form holds; strings as typed, turned into a request by `toRequest`. */
export interface ChannelDraft {
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  url: string;
  events: NotificationEvent[];
  /** 'all': every admin; otherwise the named admins (EMAIL: with addresses). */
  everyAdmin: boolean;
  recipients: { actorId: number; address: string }[];
  smtpHost: string;
  smtpPort: string;
  smtpSecure: boolean;
  smtpUsername: string;
  smtpFrom: string;
  /** Send without TLS when the server offers no STARTTLS (a local relay). */
  smtpAllowPlaintext: boolean;
  /** Feishu bot secret or SMTP password; empty on edit: keep the stored one. */
  secret: string;
  rotateSecret: boolean;
  /** Its links also ask for the admin's password (shared rooms). */
  linksRequireSignIn: boolean;
  /** Editing: where the channel points now and whether a secret is stored (moving it asks for the secret again). */
  saved: SavedDestination | null;
}

interface SavedDestination {
  url: string;
  smtpHost: string;
  smtpPort: string;
  smtpSecure: boolean;
  smtpUsername: string;
  smtpAllowPlaintext: boolean;
  hasSecret: boolean;
}

export function emptyDraft(kind: ChannelKind = 'WEBHOOK'): ChannelDraft {
  return {
    name: '',
    kind,
    enabled: true,
    url: '',
    events: ['approval.requested', 'approval.expiring'],
    everyAdmin: kind !== 'EMAIL',
    recipients: [],
    smtpHost: '',
    smtpPort: '587',
    smtpSecure: false,
    smtpUsername: '',
    smtpFrom: '',
    smtpAllowPlaintext: false,
    secret: '',
    rotateSecret: false,
    // One e-mail per admin carries only their link; chat rooms and webhooks reach many readers.
    linksRequireSignIn: kind !== 'EMAIL',
    saved: null,
  };
}

export function draftOf(c: NotificationChannelDto): ChannelDraft {
  const d: ChannelDraft = {
    ...emptyDraft(c.kind),
    name: c.name,
    enabled: c.enabled,
    url: c.url ?? '',
    events: [...c.events],
    everyAdmin: c.recipients === null,
    recipients: (c.recipients ?? []).map((r) => ({ actorId: r.actorId, address: r.address ?? '' })),
    smtpHost: c.smtp?.host ?? '',
    smtpPort: String(c.smtp?.port ?? 587),
    smtpSecure: c.smtp?.secure ?? false,
    smtpUsername: c.smtp?.username ?? '',
    smtpFrom: c.smtp?.from ?? '',
    smtpAllowPlaintext: c.smtp?.allowPlaintext ?? false,
    linksRequireSignIn: c.linksRequireSignIn,
  };
  return { ...d, saved: { ...destinationOf(d), hasSecret: c.hasSecret } };
}

function destinationOf(d: ChannelDraft): Omit<SavedDestination, 'hasSecret'> {
  return {
    url: d.url,
    smtpHost: d.smtpHost,
    smtpPort: d.smtpPort,
    smtpSecure: d.smtpSecure,
    smtpUsername: d.smtpUsername,
    smtpAllowPlaintext: d.smtpAllowPlaintext,
  };
}

/**
 * Whether an edit moves a channel that has a stored secret to another destination: the hub then wants the secret
 * again (a webhook: a new one), so the stored one never reaches a server it was not entered for.
 */
function moved(d: ChannelDraft): boolean {
  const s = d.saved;
  if (!s?.hasSecret) return false;
  if (d.kind === 'EMAIL')
    return (
      d.smtpHost.trim() !== s.smtpHost ||
      Number(d.smtpPort) !== Number(s.smtpPort) ||
      d.smtpUsername.trim() !== s.smtpUsername ||
      (s.smtpSecure && !d.smtpSecure) ||
      (!s.smtpAllowPlaintext && d.smtpAllowPlaintext)
    );
  return d.kind !== 'SLACK' && d.url.trim() !== s.url;
}

/** The request for the API; `editing` leaves an empty secret out (keep) instead of sending it. */
export function toRequest(d: ChannelDraft, editing: boolean): NotificationChannelRequest {
  const email = d.kind === 'EMAIL';
  const req: NotificationChannelRequest = {
    name: d.name.trim(),
    kind: d.kind,
    enabled: d.enabled,
    linksRequireSignIn: d.linksRequireSignIn,
    events: EVENTS.filter((e) => d.events.includes(e)),
    recipients:
      !email && d.everyAdmin
        ? null
        : d.recipients.map((r) => (email ? { actorId: r.actorId, address: r.address.trim() } : { actorId: r.actorId })),
  };
  if (email) {
    req.smtp = {
      host: d.smtpHost.trim(),
      port: Number(d.smtpPort),
      secure: d.smtpSecure,
      username: d.smtpUsername.trim() || null,
      from: d.smtpFrom.trim(),
      ...(d.smtpAllowPlaintext ? { allowPlaintext: true } : {}),
    };
  } else if (!(editing && d.url.includes('/…'))) req.url = d.url.trim();
  // (A channel's URL comes back masked: left as shown, the stored one is kept.)
  if (d.kind === 'WEBHOOK') {
    if (editing && d.rotateSecret) req.rotateSecret = true;
  } else if (d.secret) req.secret = d.secret;
  else if (!editing) req.secret = undefined;
  return req;
}

export type ProblemKey =
  | 'channels.needName'
  | 'channels.needEvent'
  | 'channels.needSmtp'
  | 'channels.needAddresses'
  | 'channels.needUrl'
  | 'channels.needRecipients'
  | 'channels.needSecretAgain'
  | 'channels.needRotate';

/** The first thing that keeps the form from being sent, as a message key; null when it may be sent. */
export function problemOf(d: ChannelDraft): ProblemKey | null {
  if (!d.name.trim()) return 'channels.needName';
  if (!d.events.length) return 'channels.needEvent';
  if (d.kind === 'EMAIL') {
    if (!d.smtpHost.trim() || !d.smtpFrom.trim() || !(Number(d.smtpPort) > 0)) return 'channels.needSmtp';
    if (!d.recipients.length || d.recipients.some((r) => !r.address.trim())) return 'channels.needAddresses';
  } else {
    if (!/^https?:\/\//.test(d.url.trim())) return 'channels.needUrl';
    if (!d.everyAdmin && !d.recipients.length) return 'channels.needRecipients';
  }
  if (moved(d)) {
    if (d.kind === 'WEBHOOK' && !d.rotateSecret) return 'channels.needRotate';
    if (d.kind !== 'WEBHOOK' && !d.secret) return 'channels.needSecretAgain';
  }
  return null;
}

/** Message keys of a kind and an event (typed: a key missing from the catalogs fails the build). */
export const kindKey = (k: ChannelKind) => `channels.kind.${k}` as const;
export const eventKey = (e: NotificationEvent) => `channels.event.${e}` as const;
