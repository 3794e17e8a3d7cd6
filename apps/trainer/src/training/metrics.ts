import type { ModelMetrics } from '@foreman/contracts';
import type { ModelSpec } from './data';

/**
 * Accuracy and per-class precision / recall from predicted probabilities and true targets.
 * Single-label: the predicted class is the most probable one. Multi-label: every class at p >= 0.5, and
 * an item counts as correct only when the predicted set equals the labelled set. A class never predicted
 * has no precision, and one without held-out items no recall (null, not 0: nothing showed the model wrong).
 */
export function computeMetrics(
  probabilities: Float32Array,
  targets: Float32Array,
  size: number,
  spec: ModelSpec,
  evaluation: ModelMetrics['evaluation'],
): ModelMetrics {
  const classCount = spec.classes.length;
  const truePositives = new Array<number>(classCount).fill(0);
  const predicted = new Array<number>(classCount).fill(0);
  const support = new Array<number>(classCount).fill(0);
  let correct = 0;
  for (let row = 0; row < size; row++) {
    const base = row * classCount;
    const predictedSet = new Array<boolean>(classCount).fill(false);
    if (spec.multiLabel) {
      for (let c = 0; c < classCount; c++) predictedSet[c] = probabilities[base + c]! >= 0.5;
    } else {
      let best = 0;
      for (let c = 1; c < classCount; c++)
        if (probabilities[base + c]! > probabilities[base + best]!) best = c;
      predictedSet[best] = true;
    }
    let exact = true;
    for (let c = 0; c < classCount; c++) {
      const actual = targets[base + c]! > 0.5;
      if (actual) support[c]! += 1;
      if (predictedSet[c]) predicted[c]! += 1;
      if (actual && predictedSet[c]) truePositives[c]! += 1;
      if (actual !== predictedSet[c]) exact = false;
    }
    if (exact) correct += 1;
  }
  return {
    accuracy: size === 0 ? 0 : correct / size,
    evaluation,
    evaluatedOn: size,
    perClass: spec.classes.map((className, c) => ({
      className,
      precision: ratioOrNull(truePositives[c]!, predicted[c]!),
      recall: ratioOrNull(truePositives[c]!, support[c]!),
      support: support[c]!,
    })),
  };
}

function ratioOrNull(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
