import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors';
import { dbTime } from '../common/db-time';
import { ActorPresence, GatewayNode } from './presence.entities';
import { SqlRunner } from '../database/sql-runner';

/**
 * The gateway's tables: this node's row and heartbeat, and which actors it holds. The `actors.online` flag
 * is ActorsService's (PresenceService calls it).
 */
@Injectable()
export class PresenceStore {
  private readonly sql: SqlRunner;

  constructor(private readonly ds: DataSource) {
    this.sql = new SqlRunner(ds);
  }

  async registerNode(nodeId: string, now: Date): Promise<void> {
    await this.ds.getRepository(GatewayNode).upsert({ nodeId, startedAt: now, heartbeatAt: now }, ['nodeId']);
  }

  /** Every registered node (alive, or dead but not swept yet). */
  async nodeIds(): Promise<string[]> {
    return (await this.sql.rows<{ node_id: string }>('SELECT node_id FROM gateway_nodes', [])).map((r) => r.node_id);
  }

  /** False when the row is gone: another node swept us as dead (a long pause) and we must re-register. */
  async heartbeat(nodeId: string, now: Date): Promise<boolean> {
    const res = await this.ds.getRepository(GatewayNode).update({ nodeId }, { heartbeatAt: now });
    return (res.affected ?? 0) > 0;
  }

  async addRow(nodeId: string, actorId: number, now: Date): Promise<void> {
    // A row left by an earlier registration of this node is as good as a new one.
    try {
      await this.sql.affected('INSERT INTO actor_presence (node_id, actor_id, since) VALUES (?, ?, ?)', [
        nodeId,
        actorId,
        this.sql.time(now),
      ]);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  async removeRow(nodeId: string, actorId: number): Promise<void> {
    await this.sql.affected('DELETE FROM actor_presence WHERE node_id = ? AND actor_id = ?', [nodeId, actorId]);
  }

  /**
   * Forgets nodes whose heartbeat is older than `cutoff` (or every other node, when `othersToo`), and
   * presence rows of nodes that are gone; returns the actors that lost a row, to re-check.
   */
  async sweep(selfId: string, cutoff: Date, othersToo: boolean): Promise<number[]> {
    const nodes = this.ds.getRepository(GatewayNode);
    const dead = othersToo
      ? await nodes
          .createQueryBuilder('n')
          .select('n.nodeId', 'nodeId')
          .where('n.nodeId <> :selfId', { selfId })
          .getRawMany<{ nodeId: string }>()
      : await nodes
          .createQueryBuilder('n')
          .select('n.nodeId', 'nodeId')
          .where('n.heartbeatAt < :cutoff AND n.nodeId <> :selfId', { cutoff: dbTime(this.ds, cutoff), selfId })
          .getRawMany<{ nodeId: string }>();
    if (dead.length) await nodes.delete({ nodeId: In(dead.map((d) => d.nodeId)) });
    const orphanFilter = 'node_id NOT IN (SELECT g.node_id FROM gateway_nodes g)';
    const orphans = await this.ds
      .createQueryBuilder()
      .select('DISTINCT p.actor_id', 'actorId')
      .from(ActorPresence, 'p')
      .where(`p.${orphanFilter}`)
      .getRawMany<{ actorId: number | string }>();
    if (orphans.length) await this.ds.createQueryBuilder().delete().from(ActorPresence).where(orphanFilter).execute();
    return orphans.map((o) => Number(o.actorId));
  }

  async forgetNode(nodeId: string): Promise<void> {
    await this.ds.getRepository(ActorPresence).delete({ nodeId });
    await this.ds.getRepository(GatewayNode).delete({ nodeId });
  }
}
