import * as tf from '@tensorflow/tfjs';
import type { ModelMetrics } from '@foreman/contracts';
import { createRandom, shuffleInPlace } from '../random';
import { inputTensor, selectRows, targetTensor, type Dataset, type ModelSpec } from './data';
import { computeMetrics } from './metrics';
import { createModel, modelInputShape } from './model';

export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  /** Seeds weight initialisation and evaluation splits. */
  seed: number;
}

/** Below this many examples quality is measured by k-fold cross-validation, above it on a hold-out split. */
export const HOLDOUT_MIN_EXAMPLES = 100;
export const HOLDOUT_SHARE = 0.2;
export const FOLDS = 3;

/** Fits `model` on the dataset; tensors are disposed before it returns. */
export async function fitModel(
  model: tf.LayersModel,
  dataset: Dataset,
  spec: ModelSpec,
  options: Pick<TrainingOptions, 'epochs' | 'batchSize'>,
): Promise<void> {
  const xs = inputTensor(dataset.inputs, dataset.size, modelInputShape(spec));
  const ys = targetTensor(dataset.targets, dataset.size, spec.classes.length);
  try {
    await model.fit(xs, ys, {
      epochs: options.epochs,
      // Small label sets get smaller batches, so a few epochs still make enough optimiser steps.
      batchSize: Math.min(options.batchSize, Math.max(4, Math.ceil(dataset.size / 8))),
      shuffle: true,
      verbose: 0,
      // Yields to the event loop between batches: events, health checks and heartbeats go on meanwhile.
      yieldEvery: 'auto',
    });
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

/** Class probabilities for `size` normalised rows, `size * classes` values. */
export function predictProbabilities(
  model: tf.LayersModel,
  inputs: Float32Array,
  size: number,
  spec: ModelSpec,
): Float32Array {
  if (size === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const output = model.predict(inputTensor(inputs, size, modelInputShape(spec))) as tf.Tensor;
    return output.dataSync() as Float32Array;
  });
}

export interface TrainedModel {
  model: tf.LayersModel;
  metrics: ModelMetrics;
}

/**
 * A model on every example, with its quality measured on examples it did not see: a stratified-by-chance
 * hold-out split once there are enough labels, k-fold cross-validation before that.
 */
export async function trainAndEvaluate(
  dataset: Dataset,
  spec: ModelSpec,
  options: TrainingOptions,
): Promise<TrainedModel> {
  const order = shuffleInPlace(
    Array.from({ length: dataset.size }, (_, row) => row),
    createRandom(options.seed),
  );
  const folds =
    dataset.size >= HOLDOUT_MIN_EXAMPLES
      ? [order.slice(0, Math.round(dataset.size * HOLDOUT_SHARE))]
      : Array.from({ length: Math.min(FOLDS, dataset.size) }, (_, fold) =>
          order.filter((_, position) => position % FOLDS === fold),
        );
  const evaluatedRows: number[] = [];
  const probabilities: Float32Array[] = [];
  for (const [index, heldOut] of folds.entries()) {
    const held = new Set(heldOut);
    const trainRows = order.filter((row) => !held.has(row));
    if (trainRows.length === 0 || heldOut.length === 0) continue;
    const model = createModel(spec, options.seed + 100 * (index + 1));
    try {
      await fitModel(model, selectRows(dataset, trainRows, spec), spec, options);
      const test = selectRows(dataset, heldOut, spec);
      probabilities.push(predictProbabilities(model, test.inputs, test.size, spec));
      evaluatedRows.push(...heldOut);
    } finally {
      model.dispose();
    }
  }
  const evaluated = selectRows(dataset, evaluatedRows, spec);
  const merged = new Float32Array(evaluatedRows.length * spec.classes.length);
  let offset = 0;
  for (const part of probabilities) {
    merged.set(part, offset);
    offset += part.length;
  }
  const metrics = computeMetrics(
    merged,
    evaluated.targets,
    evaluated.size,
    spec,
    folds.length > 1 ? 'k-fold' : 'holdout',
  );

  const model = createModel(spec, options.seed);
  await fitModel(model, dataset, spec, options);
  return { model, metrics };
}
