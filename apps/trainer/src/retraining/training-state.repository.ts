import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Arbitrary class id of the trainer's per-project advisory locks (the object id is the project's hash). */
const TRAINING_LOCK_CLASS = 7_201_944;
const CONSUMER = 'trainer';

export interface TrainingState {
  projectId: string;
  labelChanges: number;
  trainedChanges: number;
  /** As text, to keep PostgreSQL's microseconds for the compare-and-clear in completeTraining. */
  rankingRequestedAt: string | null;
  publishedVersion: number;
  latestVersion: number;
  /** The retrain policy says train now. */
  trainingDue: boolean;
}

/** The trainer's durable work list (training_state) and its de-duplication of events. */
@Injectable()
export class TrainingStateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records the event as handled by the trainer; false when it already was (a redelivery). */
  async markProcessed(tx: EntityManager, eventId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
      [CONSUMER, eventId],
    );
    return rows.length === 1;
  }

  /** One more label change since the last training (nothing for a project that no longer exists). */
  async recordLabelChange(tx: EntityManager, projectId: string): Promise<void> {
    await tx.query(
      `INSERT INTO training_state (project_id, label_changes, last_label_at)
       SELECT id, 1, now() FROM projects WHERE id = $1
       ON CONFLICT (project_id) DO UPDATE
         SET label_changes = training_state.label_changes + 1, last_label_at = now(), updated_at = now()`,
      [projectId],
    );
  }

  /** New items, or new model settings (strategy, classes): train and rank again even without new labels. */
  async requestRanking(tx: EntityManager, projectId: string): Promise<void> {
    await tx.query(
      `INSERT INTO training_state (project_id, ranking_requested_at)
       SELECT id, now() FROM projects WHERE id = $1
       ON CONFLICT (project_id) DO UPDATE SET ranking_requested_at = now(), updated_at = now()`,
      [projectId],
    );
  }

  /**
   * Projects with work: a model version whose events never went out, or a training the retrain policy
   * asks for (retrain_every_labels changes, or retrain_after_seconds of quiet after the last one, or new
   * items). Oldest first, so no project starves.
   */
  async findProjectsWithWork(limit = 50): Promise<string[]> {
    const rows: { projectId: string }[] = await this.db.query(
      `${STATE_SELECT}
       WHERE NOT p.archived AND (${TRAINING_DUE} OR s.published_version < ${LATEST_VERSION})
       ORDER BY s.updated_at
       LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.projectId);
  }

  async state(projectId: string): Promise<TrainingState | null> {
    const rows: TrainingState[] = await this.db.query(`${STATE_SELECT} WHERE s.project_id = $1`, [projectId]);
    return rows[0] ?? null;
  }

  /** Projects whose last training never finished (the process died): logged at start. */
  async interruptedTrainings(): Promise<string[]> {
    const rows: { projectId: string }[] = await this.db.query(
      `SELECT project_id AS "projectId" FROM training_state WHERE training_started_at IS NOT NULL`,
    );
    return rows.map((row) => row.projectId);
  }

  async markTrainingStarted(projectId: string): Promise<void> {
    await this.db.query(
      `UPDATE training_state SET training_started_at = now(), updated_at = now() WHERE project_id = $1`,
      [projectId],
    );
  }

  /**
   * The training that saw `coveredChanges` label changes is done (with or without a model). A ranking
   * request that came in after the snapshot stays pending.
   */
  async completeTraining(
    tx: EntityManager,
    projectId: string,
    coveredChanges: number,
    rankingRequestedAt: string | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE training_state
          SET trained_changes = GREATEST(trained_changes, $2),
              ranking_requested_at = CASE WHEN ranking_requested_at <= $3::timestamptz THEN NULL
                                          ELSE ranking_requested_at END,
              training_started_at = NULL, last_trained_at = now(), last_error = NULL, updated_at = now()
        WHERE project_id = $1`,
      [projectId, coveredChanges, rankingRequestedAt],
    );
  }

  async markPublished(projectId: string, version: number): Promise<void> {
    await this.db.query(
      `UPDATE training_state SET published_version = GREATEST(published_version, $2), last_error = NULL,
              updated_at = now()
        WHERE project_id = $1`,
      [projectId, version],
    );
  }

  async recordError(projectId: string, message: string): Promise<void> {
    await this.db.query(
      `UPDATE training_state SET last_error = $2, training_started_at = NULL, updated_at = now() WHERE project_id = $1`,
      [projectId, message.slice(0, 2000)],
    );
  }

  /**
   * Runs `work` holding the project's advisory lock on a connection of its own, so at most one training
   * per project runs at a time across every trainer instance. Resolves to null (without running) when
   * another instance holds it. The lock dies with the connection if the process does.
   */
  async withProjectLock<T>(projectId: string, work: () => Promise<T>): Promise<T | null> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [
        TRAINING_LOCK_CLASS,
        projectId,
      ])) as [{ locked: boolean }];
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner
          .query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [TRAINING_LOCK_CLASS, projectId])
          .catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }
}

const LATEST_VERSION = `(SELECT coalesce(max(m.version), 0) FROM model_versions m WHERE m.project_id = s.project_id)`;

const TRAINING_DUE = `(s.ranking_requested_at IS NOT NULL
  OR (s.label_changes > s.trained_changes
      AND (s.label_changes - s.trained_changes >= p.retrain_every_labels
           OR s.last_label_at <= now() - make_interval(secs => p.retrain_after_seconds))))`;

const STATE_SELECT = `
  SELECT s.project_id AS "projectId",
         s.label_changes::int AS "labelChanges",
         s.trained_changes::int AS "trainedChanges",
         s.ranking_requested_at::text AS "rankingRequestedAt",
         s.published_version AS "publishedVersion",
         ${LATEST_VERSION} AS "latestVersion",
         ${TRAINING_DUE} AS "trainingDue"
    FROM training_state s JOIN projects p ON p.id = s.project_id`;
