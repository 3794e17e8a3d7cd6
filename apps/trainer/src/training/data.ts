import * as tf from '@tensorflow/tfjs';
import type { ModelInput } from './model-input';

/** What the model is built for: the project's input shape and full class list. */
export interface ModelSpec {
  /** Display shape of a vector item, e.g. [8, 8]; a 1-D vector is [length]; texts: [TEXT_FEATURES]. */
  shape: number[];
  /** Every class of the project, in the project's order (the output units). */
  classes: string[];
  /** Several classes per item: independent sigmoid outputs instead of one softmax. */
  multiLabel: boolean;
}

/** An item with its live labels (one value array per labeller). */
export interface LabelledItem {
  itemId: number;
  input: ModelInput;
  values: string[][];
}

/** Inputs scaled to [0, 1] with the training set's range (digits: 0..16), stored with the model. */
export interface Normaliser {
  offset: number;
  scale: number;
}

export interface Dataset {
  /** Row-major inputs, normalised, `size * featureCount` values. */
  inputs: Float32Array;
  /** One-hot (single-label) or multi-hot (multi-label) targets, `size * classes.length` values. */
  targets: Float32Array;
  itemIds: number[];
  size: number;
  /** Classes with at least one example: a model needs two. */
  classesPresent: number;
}

export function featureCount(spec: Pick<ModelSpec, 'shape'>): number {
  return spec.shape.reduce((product, size) => product * size, 1);
}

export function fitNormaliser(inputs: readonly ModelInput[]): Normaliser {
  let min = Infinity;
  let max = -Infinity;
  for (const input of inputs) {
    for (const value of input) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (!Number.isFinite(min) || max <= min) return { offset: Number.isFinite(min) ? min : 0, scale: 1 };
  // (a range wider than a double holds, say -1e308..1e308, scales by the largest double instead)
  return { offset: min, scale: Math.min(max - min, Number.MAX_VALUE) };
}

/**
 * How far outside the training range [0, 1] a normalised input may go. An item scored with values far
 * beyond every labelled one (an imported 1e39 among digits) overflowed the model's 32-bit floats: every
 * score came out NaN and the project never got a ranking. Clamped, it is just an extreme input.
 */
const NORMALISED_LIMIT = 1e6;

/** Writes `input`, normalised (and clamped to ±NORMALISED_LIMIT), into `target` at row `row`. */
export function writeNormalised(
  target: Float32Array,
  row: number,
  input: ModelInput,
  normaliser: Normaliser,
): void {
  const width = input.length;
  for (let i = 0; i < width; i++) {
    const value = (input[i]! - normaliser.offset) / normaliser.scale;
    target[row * width + i] = Math.min(NORMALISED_LIMIT, Math.max(-NORMALISED_LIMIT, value));
  }
}

/**
 * The training target of one item from all its labels. Single-label: the majority class (ties go to the
 * class listed first in the project). Multi-label: every class at least half of the labellers chose.
 * Returns null when no label names a class of the project.
 */
export function targetOf(values: readonly string[][], spec: ModelSpec): Float32Array | null {
  const votes = new Array<number>(spec.classes.length).fill(0);
  let voters = 0;
  for (const value of values) {
    const chosen = spec.multiLabel ? value : value.slice(0, 1);
    let counted = false;
    for (const name of chosen) {
      const index = spec.classes.indexOf(name);
      if (index >= 0) {
        votes[index]! += 1;
        counted = true;
      }
    }
    if (counted) voters += 1;
  }
  if (voters === 0) return null;
  const target = new Float32Array(spec.classes.length);
  if (spec.multiLabel) {
    votes.forEach((count, index) => (target[index] = count * 2 >= voters ? 1 : 0));
  } else {
    target[votes.indexOf(Math.max(...votes))] = 1;
  }
  return target;
}

/** Items with an input of the right length and a usable label become training examples. */
export function buildDataset(
  items: readonly LabelledItem[],
  spec: ModelSpec,
  normaliser: Normaliser,
): Dataset {
  const width = featureCount(spec);
  const usable: { item: LabelledItem; target: Float32Array }[] = [];
  for (const item of items) {
    if (item.input.length !== width) continue;
    const target = targetOf(item.values, spec);
    if (target) usable.push({ item, target });
  }
  const classCount = spec.classes.length;
  const inputs = new Float32Array(usable.length * width);
  const targets = new Float32Array(usable.length * classCount);
  const present = new Set<number>();
  usable.forEach(({ item, target }, row) => {
    writeNormalised(inputs, row, item.input, normaliser);
    targets.set(target, row * classCount);
    target.forEach((value, index) => value > 0 && present.add(index));
  });
  return {
    inputs,
    targets,
    itemIds: usable.map(({ item }) => item.itemId),
    size: usable.length,
    classesPresent: present.size,
  };
}

/** The rows `rows` of a dataset, as a new dataset (for folds and hold-out splits). */
export function selectRows(dataset: Dataset, rows: readonly number[], spec: ModelSpec): Dataset {
  const width = dataset.inputs.length / Math.max(dataset.size, 1);
  const classCount = spec.classes.length;
  const inputs = new Float32Array(rows.length * width);
  const targets = new Float32Array(rows.length * classCount);
  const present = new Set<number>();
  rows.forEach((source, row) => {
    inputs.set(dataset.inputs.subarray(source * width, (source + 1) * width), row * width);
    const target = dataset.targets.subarray(source * classCount, (source + 1) * classCount);
    targets.set(target, row * classCount);
    target.forEach((value, index) => value > 0 && present.add(index));
  });
  return {
    inputs,
    targets,
    itemIds: rows.map((row) => dataset.itemIds[row]!),
    size: rows.length,
    classesPresent: present.size,
  };
}

/** Input tensor in the layout the model expects: [n, h, w, 1] for images, [n, features] otherwise. */
export function inputTensor(inputs: Float32Array, size: number, inputShape: readonly number[]): tf.Tensor {
  return tf.tensor(inputs, [size, ...inputShape]);
}

export function targetTensor(targets: Float32Array, size: number, classCount: number): tf.Tensor2D {
  return tf.tensor2d(targets, [size, classCount]);
}
