import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AcquisitionStrategy, InputKind } from '@foreman/contracts';

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('text', { array: true }) classes!: string[];
  @Column('boolean', { name: 'multi_label' }) multiLabel!: boolean;
  @Column('text', { name: 'input_kind' }) inputKind!: InputKind;
  @Column('integer', { array: true, nullable: true }) shape!: number[] | null;
  @Column('integer', { name: 'labels_per_item' }) labelsPerItem!: number;
  @Column('integer', { name: 'lease_seconds' }) leaseSeconds!: number;
  @Column('text') strategy!: AcquisitionStrategy;
  @Column('double precision', { name: 'shuffle_proportion' }) shuffleProportion!: number;
  @Column('integer', { name: 'retrain_every_labels' }) retrainEveryLabels!: number;
  @Column('integer', { name: 'retrain_after_seconds' }) retrainAfterSeconds!: number;
  @Column('boolean') archived!: boolean;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
