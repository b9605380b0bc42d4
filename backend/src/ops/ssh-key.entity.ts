import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An SSH key pair in the vault. The private half (and its passphrase) is sealed with the settings key. */
@Entity('ssh_keys')
export class SshKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'key_type', type: 'varchar', length: 40 })
  keyType: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column({ type: 'varchar', length: 80 })
  fingerprint: string;

  /** JSON of a SealedSecret whose plain text is `{ privateKey, passphrase }`; never leaves the ops feature. */
  @Column({ name: 'sealed_private_key', type: 'text', select: false })
  sealedPrivateKey: string;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy: number | null;

  @Column({ name: 'created_by_name', type: 'varchar', length: 64 })
  createdByName: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
