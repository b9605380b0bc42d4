import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One stored runtime setting. Absent row = the default; `value` is JSON (a sealed object for secrets). */
@Entity('settings')
export class SettingRow {
  /** The setting's dotted name, e.g. 'butler.model' ("key" is a reserved word in MySQL). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  /** Name snapshot of the admin who changed it, so it stays readable after the user is gone. */
  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy: string | null;
}

/** Append-only history of setting changes. Secret values are never written here, only '••••'. */
@Entity('settings_audit')
export class SettingAuditRow {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** JSON of the display value (null = no stored value). */
  @Column({ name: 'old_value', type: 'text', nullable: true })
  oldValue: string | null;

  @Column({ name: 'new_value', type: 'text', nullable: true })
  newValue: string | null;

  @Column({ type: 'varchar', length: 8 })
  action: 'set' | 'changed' | 'cleared';

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId: number | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 64 })
  actorName: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
