// Injecting one fault: restarting a node after kill -9 or SIGTERM, stopping Redis or MariaDB for a while,
// flooding a client that stopped reading, a barrage of junk events. It notes when each step happened, to
// explain a receiver that is late afterwards, and counts what the slow consumer faults and barrages did.
import { readFileSync } from 'node:fs';
import { socketFuzzer, type Tally } from '../barrage';
import type { Peer } from '../lib/clients';
import type { Node } from '../lib/cluster';
import type { Sender } from '../lib/load';
import type { PrivateServer } from '../lib/services';
import { sleep, waitUntil } from '../lib/util';
import type { FaultKind, NodeName } from './schedule';

export interface FaultTargets {
  /** Replaced in place when a node restarts: everyone holding this object sees the new node. */
  nodes: Record<NodeName, Node>;
  redis: PrivateServer;
  /** The private MariaDB; null when there is none (its outages are then never drawn). */
  mariadb: PrivateServer | null;
  /** The client that stops reading, and the one sender that floods it. */
  slowPeer: Peer;
  flooder: Sender;
  /** The agent that throws junk during a barrage, and the operator it names as its peer. */
  junk: { id: number; token: string };
  junkPeerId: number;
  /** The schedule's seeded generator: each barrage draws its own seed from it. */
  r: () => number;
}

/** Stops / resumes reading a peer's TCP stream (its kernel buffers fill, then the node's queue). */
export function pauseReading(peer: Peer, paused: boolean): boolean {
  const engine = (
    peer.socket as unknown as {
      io?: { engine?: { transport?: { ws?: { _socket?: { pause(): void; resume(): void } } } } };
    } | null
  )?.io?.engine;
  const tcp = engine?.transport?.ws?._socket;
  if (!tcp) return false;
  if (paused) tcp.pause();
  else tcp.resume();
  return true;
}

/** How many times the nodes closed a client that stopped reading, so far (their logs, across restarts). */
export function slowConsumerCloses(nodes: Record<NodeName, Node>): number {
  let n = 0;
  for (const node of Object.values(nodes)) {
    try {
      n += readFileSync(node.logFile, 'utf8').split('bytes queued for a client that is not reading').length - 1;
    } catch {
      /* no log yet */
    }
  }
  return n;
}

export class FaultInjector {
  /** When each step of the current fault happened (epoch ms), to explain a late receiver. */
  phases: { at: number; what: string }[] = [];
  /** Slow consumer faults in which the client saw its connection cut. */
  cutOffs = 0;
  /** Closes of a client that was not reading, in the nodes' logs, over all slow consumer faults. */
  nodeCutOffs = 0;
  readonly barrageTally: Tally = new Map();

  constructor(private readonly t: FaultTargets) {}

  /** Starts a new fault's list of steps. */
  begin(): void {
    this.phases = [];
  }

  phase(what: string): void {
    this.phases.push({ at: Date.now(), what });
  }

  async inject(kind: FaultKind, name: NodeName): Promise<void> {
    const t = this.t;
    switch (kind) {
      case 'kill -9':
        return this.restart(name, 'SIGKILL');
      case 'SIGTERM':
        return this.restart(name, 'SIGTERM');
      case 'redis down 8 s':
        await t.redis.stop();
        await sleep(8000);
        return t.redis.start();
      case 'mariadb down 10 s':
        await t.mariadb!.stop();
        await sleep(10_000);
        return t.mariadb!.start();
      case 'slow consumer':
        return this.slowConsumer();
      case 'barrage':
        await socketFuzzer(
          t.nodes[name].url,
          t.junk.token,
          { self: t.junk.id, peer: t.junkPeerId },
          Date.now() + 5000,
          3000,
          Math.floor(t.r() * 1e9),
          this.barrageTally,
        );
        return;
    }
  }

  private async restart(name: NodeName, signal: NodeJS.Signals): Promise<void> {
    const node = this.t.nodes[name];
    node.kill(signal);
    await node.exited;
    this.phase(`node ${name} exited`);
    this.t.nodes[name] = await node.restart();
    this.phase(`node ${name} healthy again`);
  }

  private async slowConsumer(): Promise<void> {
    const { slowPeer, flooder, nodes } = this.t;
    if (!pauseReading(slowPeer, true)) return;
    const drops = slowPeer.drops;
    const closedBefore = slowConsumerCloses(nodes);
    // ~7 MiB addressed to a client that reads nothing for 10 s: past the kernel's buffers (the node's
    // send buffer grows to tcp_wmem's max, 4 MiB; the paused client's receive buffer stays small) and
    // the node's queue bound (256 KiB here), so its node cuts it off; it reconnects and catches up.
    await flooder.run(Date.now() + 10_000, flooder.created + 450, 45);
    pauseReading(slowPeer, false);
    await flooder.flush(Date.now() + 10_000);
    // The client sees the cut when it reads again; give it a moment to notice and reconnect.
    await waitUntil(() => slowPeer.drops > drops && slowPeer.connected, 5000, 'the slow client to reconnect').catch(
      () => undefined,
    );
    const closed = slowConsumerCloses(nodes) - closedBefore;
    this.nodeCutOffs += closed;
    if (slowPeer.drops > drops) this.cutOffs++;
    this.phase(`slow client: node closed it ${closed}×, client saw ${slowPeer.drops - drops} drop(s)`);
  }
}
