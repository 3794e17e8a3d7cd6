import type { Random } from '../random';

/**
 * Ranks items by score (highest first; ties by position, i.e. item id), then swaps a share of the
 * positions as superintendent's shuffle_prop does: each position is picked with probability
 * `proportion`, and the picked positions' items are permuted among themselves. The randomness keeps
 * a model from only ever seeing what it is already unsure about. Returns item indices in serving order,
 * and which positions were picked (1): their items are there by chance, not by their scores.
 */
export function rankWithShuffle(
  scores: Float32Array,
  proportion: number,
  random: Random,
): { order: Uint32Array; shuffled: Uint8Array } {
  const order = new Uint32Array(scores.length);
  const shuffled = new Uint8Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  if (proportion <= 0) return { order, shuffled };
  const picked: number[] = [];
  for (let position = 0; position < order.length; position++)
    if (random() < proportion) picked.push(position);
  const items = picked.map((position) => order[position]!);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  picked.forEach((position, i) => {
    order[position] = items[i]!;
    shuffled[position] = 1;
  });
  return { order, shuffled };
}
