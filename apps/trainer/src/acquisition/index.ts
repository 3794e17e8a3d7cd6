import type { AcquisitionStrategy } from '@foreman/contracts';
import type { Random } from '../random';
import { entropy } from './entropy';
import { leastConfidence } from './least-confidence';
import { margin } from './margin';
import { randomScore } from './random';

export { rankWithShuffle } from './shuffle';

const rowScorers: Record<Exclude<AcquisitionStrategy, 'random'>, (row: ArrayLike<number>) => number> = {
  entropy,
  margin,
  'least-confidence': leastConfidence,
};

/**
 * One acquisition score per row of `probabilities` (`size` rows of `classCount`): higher means more
 * useful to label. Multi-label models give independent per-class probabilities, so each class is scored
 * as a yes/no question and the item gets the mean over its classes.
 */
export function acquisitionScores(
  strategy: AcquisitionStrategy,
  probabilities: Float32Array,
  size: number,
  classCount: number,
  multiLabel: boolean,
  random: Random,
): Float32Array {
  const scores = new Float32Array(size);
  if (strategy === 'random') {
    for (let row = 0; row < size; row++) scores[row] = randomScore(random);
    return scores;
  }
  const score = rowScorers[strategy];
  const pair = new Float32Array(2);
  for (let row = 0; row < size; row++) {
    const values = probabilities.subarray(row * classCount, (row + 1) * classCount);
    if (!multiLabel) {
      scores[row] = score(values);
      continue;
    }
    let sum = 0;
    for (const p of values) {
      pair[0] = p;
      pair[1] = 1 - p;
      sum += score(pair);
    }
    scores[row] = sum / classCount;
  }
  return scores;
}
