/** "1 item", "2 items", "0 items": a count with its noun, plural unless the count is exactly one. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
