import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('leases')
export class LeaseEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('integer', { name: 'item_id' }) itemId!: number;
  @Column('uuid', { name: 'labeller_id' }) labellerId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** Always set from the database clock, never a client's. */
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
}
