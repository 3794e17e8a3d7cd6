/** 1 - max p: highest where the model's best guess is weakest. */
export function leastConfidence(probabilities: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < probabilities.length; i++) max = Math.max(max, probabilities[i]!);
  return 1 - max;
}
