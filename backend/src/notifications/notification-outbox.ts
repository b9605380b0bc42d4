import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationEvent } from '@echocenter/contracts';
import type { Approval } from '../approvals/approval.entity';
import { ActorsService } from '../actors/actors.service';
import { ApprovalTxHooks, type ApprovalTxEvent } from '../approvals/approval-tx-hooks';
import { NotificationChannel } from './notification-channel.entity';
import { Notification } from './notification.entity';

/** Which notification an approval's moment is, if any (a success tells nobody out of band). */
export function notificationEventFor({ moment, approval }: ApprovalTxEvent): NotificationEvent | null {
  switch (moment) {
    case 'requested':
      return 'approval.requested';
    case 'expiring':
      return 'approval.expiring';
    case 'decided':
      return 'approval.decided';
    case 'finished':
      return approval.status === 'FAILED' || approval.status === 'TIMED_OUT' ? 'command.failed' : null;
  }
}

/**
 * One target per admin, the first address listed winning: the key below is per admin, and a second row for the
 * same admin would break its unique index inside the approval's transaction (no approval could open). Saving
 * refuses duplicates; this guards channels stored before that, or written to the database by hand.
 */
async function emailTargets(
  em: EntityManager,
  actors: ActorsService,
  channel: NotificationChannel,
): Promise<{ id: number; address: string }[]> {
  const seen = new Set<number>();
  const targets: { id: number; address: string }[] = [];
  // A named admin demoted or disabled since the channel was saved is mailed nothing (the sender checks again).
  const admins = await actors.activeAdminIds(em);
  for (const r of channel.recipients ?? []) {
    if (!r.address || seen.has(r.actorId) || !admins.has(r.actorId)) continue;
    seen.add(r.actorId);
    targets.push({ id: r.actorId, address: r.address });
  }
  return targets;
}

/**
 * Writes the outbox rows an approval's change owes, inside that change's transaction (ApprovalTxHooks): a
 * crash after the commit still leaves them to send, a rollback leaves none. Rows only, no calls out: the
 * sender (NotificationSender) delivers them.
 */
@Injectable()
export class NotificationOutbox implements OnModuleInit, OnModuleDestroy {
  private unregister: (() => void) | null = null;

  constructor(
    private readonly hooks: ApprovalTxHooks,
    private readonly actors: ActorsService,
  ) {}

  onModuleInit(): void {
    this.unregister = this.hooks.register((em, event) => this.record(em, event));
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  async record(em: EntityManager, e: ApprovalTxEvent): Promise<void> {
    const event = notificationEventFor(e);
    if (!event) return;
    const channels = await em.find(NotificationChannel, { where: { enabled: true } });
    for (const channel of channels.filter((c) => c.events.includes(event)))
      await this.enqueue(em, channel, event, e.approval);
  }

  /** A test message to one channel (each recipient, for e-mail); delivered like any other. */
  async enqueueTest(em: EntityManager, channel: NotificationChannel): Promise<Notification[]> {
    return this.enqueue(em, channel, 'test', null, randomUUID());
  }

  private async enqueue(
    em: EntityManager,
    channel: NotificationChannel,
    event: NotificationEvent | 'test',
    approval: Approval | null,
    nonce?: string,
  ): Promise<Notification[]> {
    // E-mail: one row per recipient, so one bad address neither blocks nor repeats the others.
    const targets = channel.kind === 'EMAIL' ? await emailTargets(em, this.actors, channel) : [null];
    const rows: Notification[] = [];
    for (const target of targets) {
      // The same event never owes the same channel (and recipient) two messages.
      const key = [event, approval?.id ?? nonce, `c${channel.id}`, target ? `r${target.id}` : null]
        .filter((p) => p !== null)
        .join(':');
      const { identifiers } = await em.insert(Notification, {
        channelId: channel.id,
        event,
        approvalId: approval?.id ?? null,
        recipientId: target?.id ?? null,
        recipientAddress: target?.address ?? null,
        idempotencyKey: key,
        status: 'PENDING',
        attempts: 0,
        nextAttemptAt: new Date(),
      });
      rows.push((await em.findOneBy(Notification, { id: identifiers[0].id as number }))!);
    }
    return rows;
  }
}
