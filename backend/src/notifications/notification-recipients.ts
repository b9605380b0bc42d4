import type { ActorsService } from '../actors/actors.service';
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
  actors: ActorsService,
  channel: NotificationChannel,
  row: Notification,
): Promise<Recipient[]> {
  const admins = await actors.enabledAdmins();
  const wanted = row.recipientId !== null ? [row.recipientId] : (channel.recipients?.map((r) => r.actorId) ?? null);
  return admins.filter((a) => wanted === null || wanted.includes(a.id)).map((a) => ({ actorId: a.id, name: a.name }));
}

export async function actorName(actors: ActorsService, id: number): Promise<string> {
  return (await actors.findById(id))?.name ?? `#${id}`;
}
