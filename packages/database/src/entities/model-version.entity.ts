import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ModelMetrics } from '@foreman/contracts';

@Entity('model_versions')
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('integer') version!: number;
  @Column('timestamptz', { name: 'trained_at' }) trainedAt!: Date;
  @Column('integer', { name: 'label_count' }) labelCount!: number;
  @Column('jsonb') metrics!: ModelMetrics;
  @Column('double precision', { name: 'training_ms' }) trainingMs!: number;
  @Column('text') backend!: string;
  /** Saved model (topology + base64 weights), so the latest version can predict again. */
  @Column('jsonb', { nullable: true, select: false }) artifacts!: unknown;
}
