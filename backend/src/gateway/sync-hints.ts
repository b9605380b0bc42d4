import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { SyncHintEvent } from '@echocenter/contracts';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PresenceService } from './presence.service';
import { RealtimeService } from './realtime.service';

type Reason = SyncHintEvent['reason'];

/**
 * Tells this node's own sockets to catch up from the database (`sync:hint`) when pushes may have been lost
 * on the way to them, so receivers that stayed connected are never left behind (docs/protocol.md,
 * "Catching up"). Two causes, both invisible to a connected receiver:
 * - the link to the other nodes (Redis pub/sub) came back: pub/sub does not replay what was published
 *   while this node was not subscribed;
 * - another node went silent (killed): it may have acked a message and died before its push left;
 * - a node is heard for the first time, or again after silence: before that, this node's subscription
 *   may not have carried its pushes (a node that just started subscribes asynchronously).
 * Each node beats every `beatMs` on the node-to-node bus; a peer not heard for `silentMs` counts as gone.
 * Hints are coalesced (one per reason per `coalesceMs`), and the link hint is sent twice (after the
 * adapter resubscribed, and once more when publishes queued during the outage have surely been flushed).
 */
@Injectable()
export class SyncHints implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly peers = new Map<string, number>();
  private readonly pending = new Map<Reason, NodeJS.Timeout>();
  private readonly timers: NodeJS.Timeout[] = [];
  private beat: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly logger = new Logger('SyncHints');
  /** Hints sent per reason (tests, diagnostics). */
  readonly sent: Record<Reason, number> = { adapter: 0, peer: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
    private readonly presence: PresenceService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.redisUrl === null) return; // one node: nothing travels between nodes, nothing is lost there
    const { beatMs } = this.config.sync;
    this.unsubscribe = this.realtime.onServerSide('sync:beat', (payload) => this.heard(payload));
    this.beat = setInterval(() => this.tick(), beatMs);
    this.beat.unref();
  }

  /** The adapter's Redis clients reconnected after an outage. */
  linkRestored(): void {
    this.logger.warn('link to the other nodes restored: local sockets will catch up');
    for (const delay of [this.config.sync.settleMs, this.config.sync.settleMs * 3]) {
      const timer = setTimeout(() => this.hint('adapter'), delay);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Sends one hint of this reason to every local socket, coalescing a burst into one. */
  hint(reason: Reason): void {
    if (this.pending.has(reason)) return;
    const timer = setTimeout(() => {
      this.pending.delete(reason);
      this.sent[reason]++;
      this.realtime.emitLocal('sync:hint', { reason });
    }, this.config.sync.coalesceMs);
    timer.unref();
    this.pending.set(reason, timer);
  }

  private tick(): void {
    this.realtime.serverSideEmit('sync:beat', { nodeId: this.presence.nodeId });
    const now = Date.now();
    for (const [nodeId, last] of this.peers) {
      if (now - last <= this.config.sync.silentMs) continue;
      this.peers.delete(nodeId);
      this.logger.warn(`node ${nodeId} went silent: local sockets will catch up`);
      this.hint('peer');
    }
  }

  private heard(payload: unknown): void {
    const nodeId = (payload as { nodeId?: unknown } | null)?.nodeId;
    if (typeof nodeId !== 'string' || nodeId === this.presence.nodeId) return;
    const known = this.peers.has(nodeId);
    this.peers.set(nodeId, Date.now());
    // A peer heard for the first time (this node just started, or the peer did) or again after silence:
    // until this moment this node's subscription may not have carried that peer's pushes (the adapter
    // subscribes asynchronously at start), so this node's sockets catch up once.
    if (!known) this.hint('peer');
  }

  onModuleDestroy(): void {
    if (this.beat) clearInterval(this.beat);
    this.unsubscribe?.();
    for (const timer of [...this.pending.values(), ...this.timers]) clearTimeout(timer);
    this.pending.clear();
  }
}
