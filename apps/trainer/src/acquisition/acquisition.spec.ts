import { createRandom } from '../random';
import { acquisitionScores, rankWithShuffle } from '.';
import { entropy } from './entropy';
import { leastConfidence } from './least-confidence';
import { margin } from './margin';

describe('acquisition functions', () => {
  const sure = [0.98, 0.01, 0.01];
  const torn = [0.49, 0.48, 0.03];
  const lost = [1 / 3, 1 / 3, 1 / 3];

  it('entropy is -Σ p ln p: zero when certain, ln k when uniform', () => {
    expect(entropy([1, 0, 0])).toBe(0);
    expect(entropy(lost)).toBeCloseTo(Math.log(3), 10);
    expect(entropy(torn)).toBeGreaterThan(entropy(sure));
  });

  it('margin scores 1 - (p1 - p2): highest when the top two are tied', () => {
    expect(margin(sure)).toBeCloseTo(1 - 0.97, 10);
    expect(margin(torn)).toBeCloseTo(0.99, 10);
    expect(margin([0.5, 0.5])).toBe(1);
  });

  it('least-confidence scores 1 - max p', () => {
    expect(leastConfidence(sure)).toBeCloseTo(0.02, 10);
    expect(leastConfidence(lost)).toBeCloseTo(2 / 3, 10);
  });

  it('scores every row of a probability matrix, and multi-label rows as yes/no questions per class', () => {
    const probabilities = Float32Array.from([...sure, ...lost]);
    const scores = acquisitionScores('entropy', probabilities, 2, 3, false, createRandom(1));
    expect(scores[1]).toBeGreaterThan(scores[0]!);
    const multi = acquisitionScores('margin', Float32Array.from([0.5, 1, 0, 1]), 2, 2, true, createRandom(1));
    expect(Array.from(multi)).toEqual([0.5, 0]);
    const random = acquisitionScores('random', probabilities, 2, 3, false, createRandom(1));
    expect(random.every((score) => score >= 0 && score < 1)).toBe(true);
  });

  it('ranks the highest score first, ties by position, and shuffles only a share of positions', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.5, 0.9]);
    const unshuffled = rankWithShuffle(scores, 0, createRandom(1));
    expect(Array.from(unshuffled.order)).toEqual([1, 3, 2, 0]);
    expect(Array.from(unshuffled.shuffled)).toEqual([0, 0, 0, 0]);
    const many = Float32Array.from({ length: 10_000 }, (_, i) => 10_000 - i);
    const { order, shuffled } = rankWithShuffle(many, 0.1, createRandom(42));
    const moved = order.filter((item, position) => item !== position).length;
    expect(moved).toBeGreaterThan(700);
    expect(moved).toBeLessThan(1_100);
    expect(new Set(order).size).toBe(10_000);
    expect(Array.from(rankWithShuffle(many, 0.1, createRandom(42)).order)).toEqual(Array.from(order));
    // Every moved item is marked as placed by the shuffle, and (almost) only those.
    order.forEach((item, position) => item !== position && expect(shuffled[position]).toBe(1));
    const marked = shuffled.reduce((sum, flag) => sum + flag, 0);
    expect(marked).toBeGreaterThanOrEqual(moved);
    expect(marked).toBeLessThan(moved * 1.1);
  });
});
