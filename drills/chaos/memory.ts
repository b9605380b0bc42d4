// Memory under chaos: each node's RSS sampled every second, per node name (a restarted node keeps its name),
// against its level after start-up.
import type { Node } from '../lib/cluster';
import { sleep } from '../lib/util';
import type { NodeName } from './schedule';

export class RssSampler {
  readonly baseline: Record<string, number>;
  readonly peak: Record<string, number>;
  private sampling = true;
  private readonly loop: Promise<void>;

  /** `nodes` is read at every sample, so a node replaced in it after a restart is sampled from then on. */
  constructor(nodes: Record<NodeName, Node>) {
    this.baseline = { A: nodes.A.rss(), B: nodes.B.rss() };
    this.peak = { ...this.baseline };
    this.loop = (async () => {
      while (this.sampling) {
        for (const [name, node] of Object.entries(nodes))
          if (node.alive()) this.peak[name] = Math.max(this.peak[name], node.rss() || 0);
        await sleep(1000);
      }
    })();
  }

  /** Stops sampling once the current sample is done. */
  async stop(): Promise<void> {
    this.sampling = false;
    await this.loop;
  }
}
