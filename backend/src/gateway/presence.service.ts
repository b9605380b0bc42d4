import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ActorsService } from '../actors/actors.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PresenceStore } from './presence.store';
import { RealtimeService } from './realtime.service';

/**
 * An actor is online while it has a socket on any node. Each node keeps one database row per actor it
 * holds (added on the actor's first local socket, removed on its last) and a heartbeat; the nodes sweep
 * each other's rows when a heartbeat stops, so a killed node's agents go offline on the survivors.
 * Work for one actor runs in order on this node, and each step re-reads the live local state, so a fast
 * connect/disconnect/connect always settles on the truth.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly nodeId = randomUUID();
  private readonly held = new Set<number>();
  private readonly chains = new Map<number, Promise<void>>();
  private localCount: (actorId: number) => number = () => 0;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly logger = new Logger('Presence');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: PresenceStore,
    private readonly actors: ActorsService,
    private readonly realtime: RealtimeService,
  ) {}

  /**
   * The nodes registered now, this one once it has started. A node registers before it takes any work, so
   * work marked with a node id read as absent here *after* the work was read is owed by a node that is gone.
   */
  liveNodeIds(): Promise<string[]> {
    return this.store.nodeIds();
  }

  /** The gateway tells us how to count this node's sockets of an actor (its room size). */
  useLocalCounter(count: (actorId: number) => number): void {
    this.localCount = count;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.registerNode(this.nodeId, new Date());
    // Without Redis this process is the only node: whatever other nodes left behind is stale.
    await this.sweep(this.config.redisUrl === null);
    this.timer = setInterval(() => void this.tick(), this.config.presence.heartbeatMs);
    this.timer.unref();
  }

  socketsChanged(actorId: number): void {
    if (this.closing) return;
    const next = (this.chains.get(actorId) ?? Promise.resolve())
      .then(() => this.reconcile(actorId))
      .catch((err: unknown) => this.logger.error(`presence of actor ${actorId}: ${String(err)}`));
    this.chains.set(actorId, next);
    void next.then(() => {
      if (this.chains.get(actorId) === next) this.chains.delete(actorId);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.chains.values());
    const held = [...this.held];
    this.held.clear();
    try {
      await this.store.forgetNode(this.nodeId);
      for (const id of held) await this.announceIfOffline(id);
    } catch (err) {
      this.logger.warn(`could not clear presence at shutdown: ${String(err)}`);
    }
  }

  private async reconcile(actorId: number): Promise<void> {
    if (this.closing) return;
    const here = this.localCount(actorId) > 0;
    if (here && !this.held.has(actorId)) {
      const now = new Date();
      this.held.add(actorId);
      await this.store.addRow(this.nodeId, actorId, now);
      if (await this.actors.markOnline(actorId, now))
        this.realtime.toHumans('presence:update', {
          actorId,
          online: true,
          lastSeenAt: now.toISOString(),
          status: 'ONLINE',
        });
    } else if (!here && this.held.has(actorId)) {
      this.held.delete(actorId);
      await this.store.removeRow(this.nodeId, actorId);
      await this.announceIfOffline(actorId);
    }
  }

  private async announceIfOffline(actorId: number): Promise<void> {
    const now = new Date();
    if (!(await this.actors.markOfflineIfUnheld(actorId, now))) return;
    const status = (await this.actors.isDisabled(actorId)) ? 'DISABLED' : 'OFFLINE';
    this.realtime.toHumans('presence:update', { actorId, online: false, lastSeenAt: now.toISOString(), status });
  }

  private async tick(): Promise<void> {
    if (this.closing) return;
    try {
      const now = new Date();
      if (!(await this.store.heartbeat(this.nodeId, now))) await this.reRegister(now);
      await this.sweep(false);
    } catch (err) {
      this.logger.warn(`presence heartbeat failed: ${String(err)}`);
    }
  }

  /** Another node took us for dead (we stalled past the timeout) and removed our rows: put them back. */
  private async reRegister(now: Date): Promise<void> {
    this.logger.warn('this node was swept as dead; re-registering its presence');
    await this.store.registerNode(this.nodeId, now);
    const held = [...this.held];
    this.held.clear();
    for (const id of held) this.socketsChanged(id);
  }

  private async sweep(othersToo: boolean): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.presence.nodeTimeoutMs);
    const lost = await this.store.sweep(this.nodeId, cutoff, othersToo);
    const stray = await this.actors.onlineWithoutPresence();
    for (const id of new Set([...lost, ...stray])) {
      if (!this.held.has(id)) await this.announceIfOffline(id);
    }
  }
}
