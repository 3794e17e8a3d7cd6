import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type * as tf from '@tensorflow/tfjs';
import type { DataSource } from 'typeorm';
import { EVENT_TYPES, buildEvent } from '@foreman/contracts';
import { EVENT_PUBLISHER, type EventPublisher } from '@foreman/messaging';
import { TRAINER_CONFIG, type TrainerConfig } from '../config/env';
import { seedFrom } from '../random';
import { PoolScorerService } from '../scoring/pool-scorer.service';
import { rankingEvents } from '../scoring/ranking-events';
import { loadModel, saveModel } from '../training/artifacts';
import { buildDataset, fitNormaliser, type ModelSpec, type Normaliser } from '../training/data';
import { projectInputShape } from '../training/model-input';
import { trainAndEvaluate } from '../training/train';
import { ModelVersionRepository, type StoredModelVersion } from './model-version.repository';
import { TrainingDataRepository, type TrainingProject } from './training-data.repository';
import { TrainingStateRepository, type TrainingState } from './training-state.repository';

export type RunOutcome = 'idle' | 'published' | 'trained' | 'no-model';

/**
 * One project's pending work, run under its training lock: first re-publish a model version whose
 * events never reached the broker (a failed publish or a crash after the commit; this never trains a
 * second version for the same work), then train if the retrain policy is due, store the version and
 * publish model.trained and the ranking.
 */
@Injectable()
export class RetrainService {
  private readonly logger = new Logger(RetrainService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly states: TrainingStateRepository,
    private readonly data: TrainingDataRepository,
    private readonly versions: ModelVersionRepository,
    private readonly scorer: PoolScorerService,
    @Inject(EVENT_PUBLISHER) private readonly events: EventPublisher,
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
  ) {}

  async runPending(projectId: string, backend: string): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    const project = await this.data.project(projectId);
    let state = await this.states.state(projectId);
    if (!project || project.archived || !state) return outcomes;
    if (state.latestVersion > state.publishedVersion) {
      await this.republish(project, state.latestVersion);
      outcomes.push('published');
      state = (await this.states.state(projectId))!;
    }
    if (state.trainingDue) outcomes.push(await this.train(project, state, backend));
    return outcomes;
  }

  private async train(project: TrainingProject, state: TrainingState, backend: string): Promise<RunOutcome> {
    const started = performance.now();
    await this.states.markTrainingStarted(project.id);
    const { items, labelCount } = await this.data.labelledItems(project);
    const shape = projectInputShape(project, items[0]?.input);
    const normaliser = fitNormaliser(items.map((item) => item.input));
    const spec: ModelSpec | null = shape
      ? { shape, classes: project.classes, multiLabel: project.multiLabel }
      : null;
    const dataset = spec ? buildDataset(items, spec, normaliser) : null;
    if (!spec || !dataset || dataset.classesPresent < 2) {
      // Nothing to learn yet: the queue keeps its order until two classes have labels.
      await this.db.transaction((tx) =>
        this.states.completeTraining(tx, project.id, state.labelChanges, state.rankingRequestedAt),
      );
      this.logger.log(
        `project ${project.id}: no model (${spec ? `${dataset?.classesPresent ?? 0} class(es) labelled` : `none for ${project.inputKind} items`})`,
      );
      return 'no-model';
    }
    this.logger.log(
      `project ${project.id}: training started on ${dataset.size} items (${labelCount} labels)`,
    );
    const { model, metrics } = await trainAndEvaluate(dataset, spec, {
      epochs: this.config.TRAINER_EPOCHS,
      batchSize: this.config.TRAINER_BATCH_SIZE,
      seed: seedFrom(`${project.id}:${state.labelChanges}`),
    });
    try {
      const artifacts = await saveModel(model, spec, normaliser);
      const trainingMs = Math.round(performance.now() - started);
      const version = await this.db.transaction(async (tx) => {
        const stored = await this.versions.insert(tx, {
          projectId: project.id,
          labelCount,
          metrics,
          trainingMs,
          backend,
          artifacts,
        });
        await this.states.completeTraining(tx, project.id, state.labelChanges, state.rankingRequestedAt);
        return stored;
      });
      this.logger.log(
        `project ${project.id}: model v${version.version} trained in ${trainingMs} ms, ` +
          `${metrics.evaluation} accuracy ${metrics.accuracy.toFixed(3)} on ${metrics.evaluatedOn}`,
      );
      await this.publish(project, version, model, spec, normaliser);
      return 'trained';
    } finally {
      model.dispose();
    }
  }

  private async republish(project: TrainingProject, version: number): Promise<void> {
    const stored = await this.versions.find(project.id, version);
    if (!stored) return;
    this.logger.log(`project ${project.id}: publishing model v${version} again (its events did not go out)`);
    const model = await loadModel(stored.artifacts);
    try {
      await this.publish(project, stored, model, stored.artifacts.spec, stored.artifacts.normaliser);
    } finally {
      model.dispose();
    }
  }

  /** model.trained, then the ranking in chunks; each publish resolves once RabbitMQ confirmed it. */
  private async publish(
    project: TrainingProject,
    version: StoredModelVersion,
    model: tf.LayersModel,
    spec: ModelSpec,
    normaliser: Normaliser,
  ): Promise<void> {
    await this.events.publish(
      buildEvent(EVENT_TYPES.modelTrained, project.id, {
        modelVersion: version.version,
        labelCount: version.labelCount,
        metrics: version.metrics,
        trainingMs: version.trainingMs,
        backend: version.backend,
      }),
    );
    const started = performance.now();
    const pool = await this.scorer.scorePool({
      project,
      model,
      spec,
      normaliser,
      modelVersion: version.version,
    });
    let chunks = 0;
    for (const event of rankingEvents(
      project.id,
      version.version,
      project.strategy,
      pool,
      spec.classes,
      this.config.RANKING_CHUNK_SIZE,
    )) {
      await this.events.publish(event);
      chunks += 1;
    }
    await this.states.markPublished(project.id, version.version);
    this.logger.log(
      `project ${project.id}: ranked ${pool.size} items with model v${version.version} (${project.strategy}) ` +
        `in ${Math.round(performance.now() - started)} ms, ${chunks} chunk(s)` +
        (pool.skipped ? `; ${pool.skipped} item(s) without a usable input left out` : ''),
    );
  }
}
