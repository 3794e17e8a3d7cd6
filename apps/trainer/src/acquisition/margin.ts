/** 1 - (p1 - p2), the top two classes' gap turned around: highest where the model hesitates between two. */
export function margin(probabilities: ArrayLike<number>): number {
  let first = 0;
  let second = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) {
      second = p;
    }
  }
  return 1 - (first - second);
}
