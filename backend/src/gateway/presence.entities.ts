import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A live backend process; its heartbeat tells the others it still holds its sockets. */
@Entity('gateway_nodes')
export class GatewayNode {
  @PrimaryColumn({ name: 'node_id', type: 'varchar', length: 36 })
  nodeId: string;

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt: Date;

  @Column({ name: 'heartbeat_at', type: 'datetime' })
  heartbeatAt: Date;
}

/** "This node holds at least one socket of this actor": an actor is online while any such row exists. */
@Entity('actor_presence')
@Index('IDX_actor_presence_actor', ['actorId'])
export class ActorPresence {
  @PrimaryColumn({ name: 'node_id', type: 'varchar', length: 36 })
  nodeId: string;

  @PrimaryColumn({ name: 'actor_id', type: 'int' })
  actorId: number;

  @Column({ type: 'datetime' })
  since: Date;
}
