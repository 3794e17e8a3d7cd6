import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AcquisitionStrategy, InputKind } from '@foreman/contracts';
import type { LabelledItem } from '../training/data';
import { modelInputColumn, modelInputOf } from '../training/model-input';

/** The project settings the trainer works from. */
export interface TrainingProject {
  id: string;
  classes: string[];
  multiLabel: boolean;
  inputKind: InputKind;
  shape: number[] | null;
  strategy: AcquisitionStrategy;
  shuffleProportion: number;
  archived: boolean;
}

export interface UnlabelledItem {
  id: number;
  /** As read by modelInputColumn: modelInputOf makes it the model's input. */
  input: unknown;
}

/** Reads what models learn from and score: projects, labelled items, the unlabelled pool. */
@Injectable()
export class TrainingDataRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async project(projectId: string): Promise<TrainingProject | null> {
    const rows: TrainingProject[] = await this.db.query(
      `SELECT id, classes, multi_label AS "multiLabel", input_kind AS "inputKind", shape, strategy,
              shuffle_proportion AS "shuffleProportion", archived
         FROM projects WHERE id = $1`,
      [projectId],
    );
    return rows[0] ?? null;
  }

  /**
   * Every item with live labels and a model input, with all its labels (one value array per labeller); and
   * the label count.
   */
  async labelledItems(
    project: Pick<TrainingProject, 'id' | 'inputKind'>,
  ): Promise<{ items: LabelledItem[]; labelCount: number }> {
    const rows: { itemId: number; input: unknown; values: string[][] }[] = await this.db.query(
      `SELECT i.id AS "itemId", ${modelInputColumn(project.inputKind)} AS input,
              json_agg(l.value ORDER BY l.id) AS values
         FROM labels l JOIN items i ON i.id = l.item_id
        WHERE l.project_id = $1 AND l.retracted_at IS NULL
        GROUP BY i.id
        ORDER BY i.id`,
      [project.id],
    );
    const items: LabelledItem[] = [];
    let labelCount = 0;
    for (const row of rows) {
      labelCount += row.values.length;
      const input = modelInputOf(project.inputKind, row.input);
      if (input) items.push({ itemId: row.itemId, input, values: row.values });
    }
    return { items, labelCount };
  }

  /**
   * One page of items that still need labels, in id order after `afterId` (keyset pagination on the
   * partial index items_unlabelled_by_id_idx): memory stays bounded however large the pool.
   */
  unlabelledPage(
    project: Pick<TrainingProject, 'id' | 'inputKind'>,
    afterId: number,
    limit: number,
  ): Promise<UnlabelledItem[]> {
    return this.db.query(
      `SELECT i.id, ${modelInputColumn(project.inputKind)} AS input
         FROM items i
        WHERE i.project_id = $1 AND i.remaining_labels > 0 AND i.id > $2
        ORDER BY i.id
        LIMIT $3`,
      [project.id, afterId, limit],
    );
  }
}
