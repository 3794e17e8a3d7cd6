/** The majority answer of an item's live labels and how far its labellers agree. */
export interface LabelSummary {
  /** The most common answer (a multi-label set, sorted); null without labels or on a tie. */
  majority: string[] | null;
  /** Share of labels equal to the most common answer; null with fewer than two labels. */
  agreement: number | null;
}

/** Same rules as the progress figures (ProgressRepository), for one item. */
export function summarizeLabels(values: string[][]): LabelSummary {
  const counts = new Map<string, { answer: string[]; n: number }>();
  for (const value of values) {
    const answer = [...value].sort();
    const key = JSON.stringify(answer);
    const entry = counts.get(key) ?? { answer, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
  const [first, second] = ranked;
  if (!first) return { majority: null, agreement: null };
  return {
    majority: second && second.n === first.n ? null : first.answer,
    agreement: values.length < 2 ? null : first.n / values.length,
  };
}
