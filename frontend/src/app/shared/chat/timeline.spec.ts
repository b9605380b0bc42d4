import type { ChatMessageDto } from '@echocenter/contracts';
import { buildTimeline, insertById } from './timeline';

function m(id: number, at: string, senderId = 7): ChatMessageDto {
  return { id, senderId, senderName: 'x', senderKind: 'AGENT', targetId: 1, text: `#${id}`, createdAt: at };
}

describe('timeline', () => {
  it('insertById keeps id order and ignores a duplicate id', () => {
    let list: readonly ChatMessageDto[] = [];
    for (const id of [5, 2, 9, 2, 7]) list = insertById(list, m(id, '2026-01-01T00:00:00Z'));
    expect(list.map((x) => x.id)).toEqual([2, 5, 7, 9]);
    const same = insertById(list, m(7, '2026-01-01T00:00:00Z'));
    expect(same).toBe(list);
  });

  it('weaves extras in by time, then pending sends, then live streams', () => {
    const items = buildTimeline(
      [m(1, '2026-01-01T10:00:00Z', 1), m(2, '2026-01-01T10:02:00Z')],
      [{ localId: 'a', text: 'hi', createdAt: '2026-01-01T09:00:00Z', state: 'sending' }],
      [
        { streamId: 's', senderId: 7, text: 'typing', ended: false },
        { streamId: 'e', senderId: 7, text: '', ended: false },
      ],
      [
        { key: 'late', createdAt: '2026-01-01T11:00:00Z', data: 2 },
        { key: 'mid', createdAt: '2026-01-01T10:01:00Z', data: 1 },
      ],
      1,
    );
    expect(items.map((i) => i.key)).toEqual(['m1', 'xmid', 'm2', 'xlate', 'pa', 'ss']);
    expect(items[0]).toEqual(expect.objectContaining({ kind: 'message', mine: true }));
    expect(items[2]).toEqual(expect.objectContaining({ kind: 'message', mine: false }));
  });

  it('puts an extra with a whole-second timestamp after the messages of that second', () => {
    const items = buildTimeline(
      [m(1, '2026-01-01T10:00:06.300Z', 1), m(2, '2026-01-01T10:00:06.900Z'), m(3, '2026-01-01T10:00:07.100Z')],
      [],
      [],
      [{ key: 'card', createdAt: '2026-01-01T10:00:06.000Z', data: null }],
      1,
    );
    expect(items.map((i) => i.key)).toEqual(['m1', 'm2', 'xcard', 'm3']);
  });
});
