import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('labels')
export class LabelEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id!: number;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('integer', { name: 'item_id' }) itemId!: number;
  @Column('uuid', { name: 'labeller_id' }) labellerId!: string;
  @Column('text', { array: true }) value!: string[];
  @Column('text', { name: 'client_request_id' }) clientRequestId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'retracted_at', nullable: true }) retractedAt!: Date | null;
  @Column('text', { name: 'retract_request_id', nullable: true }) retractRequestId!: string | null;
}
