/** A share as the dashboard shows it: one decimal, or a dash when there is none. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
