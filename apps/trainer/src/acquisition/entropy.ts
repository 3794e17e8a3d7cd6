/** Shannon entropy -Σ p ln p: highest where the model spreads its belief over many classes. */
export function entropy(probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p > 0) sum -= p * Math.log(p);
  }
  return sum;
}
