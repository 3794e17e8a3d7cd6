import type { Random } from '../random';

/** Random order: the baseline every other strategy has to beat. */
export function randomScore(random: Random): number {
  return random();
}
