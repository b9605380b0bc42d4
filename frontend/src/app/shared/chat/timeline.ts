import type { ChatMessageDto } from '@echocenter/contracts';
import type { LiveStream, PendingMessage, TimelineExtra, TimelineItem } from './chat.models';

/**
 * Stored messages in id order with extras (e.g. approval cards) woven in by second, then the still
 * unconfirmed sends, then live streams at the bottom.
 */
export function buildTimeline(
  messages: readonly ChatMessageDto[],
  pending: readonly PendingMessage[],
  streams: readonly LiveStream[],
  extras: readonly TimelineExtra[],
  meId: number | null,
): TimelineItem[] {
  const out: TimelineItem[] = [];
  const sortedExtras = [...extras].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  let e = 0;
  for (const message of messages) {
    while (e < sortedExtras.length && second(sortedExtras[e].createdAt) < second(message.createdAt)) {
      out.push(extraItem(sortedExtras[e++]));
    }
    out.push({ kind: 'message', key: `m${message.id}`, message, mine: message.senderId === meId });
  }
  while (e < sortedExtras.length) out.push(extraItem(sortedExtras[e++]));
  for (const p of pending) out.push({ kind: 'pending', key: `p${p.localId}`, pending: p });
  for (const s of streams) if (s.text) out.push({ kind: 'stream', key: `s${s.streamId}`, stream: s });
  return out;
}

/** Inserts into an id-sorted list, ignoring an id already present. Returns the same array when unchanged. */
export function insertById(list: readonly ChatMessageDto[], msg: ChatMessageDto): readonly ChatMessageDto[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].id < msg.id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo]?.id === msg.id) return list;
  return [...list.slice(0, lo), msg, ...list.slice(lo)];
}

function extraItem(extra: TimelineExtra): TimelineItem {
  return { kind: 'extra', key: `x${extra.key}`, extra };
}

function time(iso: string): number {
  return new Date(iso).getTime();
}

// Some rows are stored with whole-second timestamps: an extra goes after every message of its second,
// so an approval card follows the request and the Butler's announcement of it.
function second(iso: string): number {
  return Math.floor(time(iso) / 1000);
}
