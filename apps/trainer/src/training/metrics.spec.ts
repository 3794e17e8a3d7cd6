import { computeMetrics } from './metrics';
import type { ModelSpec } from './data';

const spec: ModelSpec = { shape: [2], classes: ['cat', 'dog', 'bird'], multiLabel: false };

/** One-hot rows, one per item, in the spec's class order. */
function oneHot(classIndexes: number[]): Float32Array {
  const rows = new Float32Array(classIndexes.length * spec.classes.length);
  classIndexes.forEach((c, row) => (rows[row * spec.classes.length + c] = 1));
  return rows;
}

describe('computeMetrics', () => {
  it('gives no precision for a class never predicted and no recall for a class without held-out items', () => {
    // Held out: two cats and a dog; the model says cat, dog, dog. Nobody labelled a bird.
    const probabilities = new Float32Array([0.8, 0.1, 0.1, 0.3, 0.6, 0.1, 0.2, 0.7, 0.1]);
    const metrics = computeMetrics(probabilities, oneHot([0, 0, 1]), 3, spec, 'holdout');
    expect(metrics.perClass).toEqual([
      { className: 'cat', precision: 1, recall: 0.5, support: 2 },
      { className: 'dog', precision: 0.5, recall: 1, support: 1 },
      // 0/0 twice: unknown, not 0 % (the model is not wrong about birds; nothing tested it)
      { className: 'bird', precision: null, recall: null, support: 0 },
    ]);
  });

  it('keeps recall 0 for a class missed every time (a real 0 %), beside no precision as it was never predicted', () => {
    // Held out: a cat and a dog; the model calls both cats.
    const probabilities = new Float32Array([0.9, 0.05, 0.05, 0.6, 0.3, 0.1]);
    const metrics = computeMetrics(probabilities, oneHot([0, 1]), 2, spec, 'holdout');
    expect(metrics.perClass.slice(0, 2)).toEqual([
      { className: 'cat', precision: 0.5, recall: 1, support: 1 },
      { className: 'dog', precision: null, recall: 0, support: 1 },
    ]);
  });
});
