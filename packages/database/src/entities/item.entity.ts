import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ItemPayload } from '@foreman/contracts';

@Entity('items')
export class ItemEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('jsonb') payload!: ItemPayload;
  @Column('integer', { name: 'remaining_labels' }) remainingLabels!: number;
  @Column('integer', { name: 'label_count' }) labelCount!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
