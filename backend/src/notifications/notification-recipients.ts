import type { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../actors/actor.entity';
import type { NotificationChannel } from './notification-channel.entity';
import type { Notification } from './notification.entity';

export interface Recipient {
  actorId: number;
  name: string;
}

/**
 * The admins a message addresses, as they are at send time: a named recipient demoted or disabled since
 * the channel was saved gets no link (and could not use one: the decision re-checks the role).
 */
export async function recipientsOf(
  ds: DataSource,
  channel: NotificationChannel,
  row: Notification,
): Promise<Recipient[]> {
  const admins = await ds
    .getRepository(Actor)
    .find({ where: { type: 'HUMAN', role: 'ADMIN', disabled: false }, order: { id: 'ASC' } });
  const wanted = row.recipientId !== null ? [row.recipientId] : (channel.recipients?.map((r) => r.actorId) ?? null);
  return admins.filter((a) => wanted === null || wanted.includes(a.id)).map((a) => ({ actorId: a.id, name: a.name }));
}

/** The ids of the admins who may decide now (human, ADMIN, not disabled). */
export async function activeAdminIds(em: EntityManager): Promise<Set<number>> {
  const admins = await em.find(Actor, {
    where: { type: 'HUMAN', role: 'ADMIN', disabled: false },
    select: { id: true },
  });
  return new Set(admins.map((a) => a.id));
}

export async function actorName(ds: DataSource, id: number): Promise<string> {
  return (await ds.getRepository(Actor).findOneBy({ id }))?.name ?? `#${id}`;
}
