import { Inject, Injectable } from '@nestjs/common';
import type * as tf from '@tensorflow/tfjs';
import type { AcquisitionStrategy } from '@foreman/contracts';
import { acquisitionScores, rankWithShuffle } from '../acquisition';
import { TRAINER_CONFIG, type TrainerConfig } from '../config/env';
import { createRandom, seedFrom } from '../random';
import { TrainingDataRepository, type TrainingProject } from '../retraining/training-data.repository';
import { featureCount, writeNormalised, type ModelSpec, type Normaliser } from '../training/data';
import { modelInputOf } from '../training/model-input';
import { predictProbabilities } from '../training/train';

/** The scored pool in columns: 14 bytes per item, so a million items take about 14 MB. */
export interface RankedPool {
  itemIds: Int32Array;
  scores: Float32Array;
  predictedClass: Uint16Array;
  predictedProbability: Float32Array;
  /** Indices into the columns in serving order (after the shuffle). */
  order: Uint32Array;
  /** By serving position: 1 where the shuffle put the item (rankWithShuffle). */
  shuffled: Uint8Array;
  size: number;
  /** Items with no model input of the model's length, e.g. a malformed vector (left out of the ranking). */
  skipped: number;
}

export interface ScoringRequest {
  project: Pick<TrainingProject, 'id' | 'inputKind' | 'strategy' | 'shuffleProportion'>;
  model: tf.LayersModel;
  spec: ModelSpec;
  normaliser: Normaliser;
  /** Seeds the shuffle and the random strategy: a version's ranking is the same when computed again. */
  modelVersion: number;
  strategy?: AcquisitionStrategy;
}

/** Predicts every unlabelled item in pages, scores it with the project's acquisition function and ranks. */
@Injectable()
export class PoolScorerService {
  constructor(
    private readonly data: TrainingDataRepository,
    @Inject(TRAINER_CONFIG) private readonly config: Pick<TrainerConfig, 'SCORING_BATCH_SIZE'>,
  ) {}

  async scorePool(request: ScoringRequest): Promise<RankedPool> {
    const { project, model, spec, normaliser } = request;
    const strategy = request.strategy ?? project.strategy;
    const random = createRandom(seedFrom(`${project.id}:${request.modelVersion}`));
    const width = featureCount(spec);
    const classCount = spec.classes.length;
    const batchSize = this.config.SCORING_BATCH_SIZE;
    const pool = new PoolColumns();
    const inputs = new Float32Array(batchSize * width);
    let skipped = 0;
    let afterId = 0;
    for (;;) {
      const page = await this.data.unlabelledPage(project, afterId, batchSize);
      if (page.length === 0) break;
      afterId = page[page.length - 1]!.id;
      const ids: number[] = [];
      for (const item of page) {
        const input = modelInputOf(project.inputKind, item.input);
        if (!input || input.length !== width) {
          skipped += 1;
          continue;
        }
        writeNormalised(inputs, ids.length, input, normaliser);
        ids.push(item.id);
      }
      const probabilities = predictProbabilities(
        model,
        inputs.subarray(0, ids.length * width),
        ids.length,
        spec,
      );
      const scores = acquisitionScores(
        strategy,
        probabilities,
        ids.length,
        classCount,
        spec.multiLabel,
        random,
      );
      ids.forEach((id, row) => {
        let best = 0;
        for (let c = 1; c < classCount; c++) {
          if (probabilities[row * classCount + c]! > probabilities[row * classCount + best]!) best = c;
        }
        pool.push(id, scores[row]!, best, probabilities[row * classCount + best]!);
      });
      if (page.length < batchSize) break;
    }
    const columns = pool.columns();
    return { ...columns, ...rankWithShuffle(columns.scores, project.shuffleProportion, random), skipped };
  }
}

/** Typed-array columns that grow by doubling. */
class PoolColumns {
  private capacity = 1024;
  private size = 0;
  private itemIds = new Int32Array(this.capacity);
  private scores = new Float32Array(this.capacity);
  private predictedClass = new Uint16Array(this.capacity);
  private predictedProbability = new Float32Array(this.capacity);

  push(itemId: number, score: number, predictedClass: number, probability: number): void {
    if (this.size === this.capacity) this.grow();
    this.itemIds[this.size] = itemId;
    this.scores[this.size] = score;
    this.predictedClass[this.size] = predictedClass;
    this.predictedProbability[this.size] = probability;
    this.size += 1;
  }

  columns() {
    return {
      itemIds: this.itemIds.subarray(0, this.size),
      scores: this.scores.subarray(0, this.size),
      predictedClass: this.predictedClass.subarray(0, this.size),
      predictedProbability: this.predictedProbability.subarray(0, this.size),
      size: this.size,
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends Int32Array | Float32Array | Uint16Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.itemIds = grow(this.itemIds, new Int32Array(this.capacity));
    this.scores = grow(this.scores, new Float32Array(this.capacity));
    this.predictedClass = grow(this.predictedClass, new Uint16Array(this.capacity));
    this.predictedProbability = grow(this.predictedProbability, new Float32Array(this.capacity));
  }
}
