import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('skips')
export class SkipEntity {
  @PrimaryColumn('integer', { name: 'item_id' }) itemId!: number;
  @PrimaryColumn('uuid', { name: 'labeller_id' }) labellerId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
