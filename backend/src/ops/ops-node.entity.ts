import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A machine the Ops-Runner may reach over SSH, with the key it uses and the host key pinned by an admin. */
@Entity('ops_nodes')
export class OpsNode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  host: string;

  @Column({ type: 'int' })
  port: number;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'key_id', type: 'int' })
  keyId: number;

  /** Stored as `,web,db,` so one LIKE finds a tag; read through `tagsOf`. */
  @Column({ type: 'varchar', length: 400, default: '' })
  tags: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** `SHA256:…`; null until an admin confirms the first key a test showed. */
  @Column({ name: 'host_key_fingerprint', type: 'varchar', length: 80, nullable: true })
  hostKeyFingerprint: string | null;

  @Column({ name: 'host_key_confirmed_by_name', type: 'varchar', length: 64, nullable: true })
  hostKeyConfirmedByName: string | null;

  @Column({ name: 'host_key_confirmed_at', type: 'datetime', nullable: true })
  hostKeyConfirmedAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}

export function tagsOf(node: Pick<OpsNode, 'tags'>): string[] {
  return node.tags.split(',').filter(Boolean);
}

export function storedTags(tags: readonly string[]): string {
  const unique = [...new Set(tags)];
  return unique.length ? `,${unique.join(',')},` : '';
}
