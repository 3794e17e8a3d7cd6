import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AcquisitionStrategy, ItemPayload } from '@foreman/contracts';

@Entity('items')
export class ItemEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('jsonb') payload!: ItemPayload;
  /** Higher is served first; ties go to the oldest item. */
  @Column('double precision') priority!: number;
  @Column('integer', { name: 'remaining_labels' }) remainingLabels!: number;
  @Column('integer', { name: 'label_count' }) labelCount!: number;
  @Column('double precision', { nullable: true }) score!: number | null;
  @Column('text', { nullable: true }) strategy!: AcquisitionStrategy | null;
  @Column('integer', { name: 'model_version', nullable: true }) modelVersion!: number | null;
  @Column('text', { name: 'predicted_class', nullable: true }) predictedClass!: string | null;
  @Column('double precision', { name: 'predicted_probability', nullable: true })
  predictedProbability!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
