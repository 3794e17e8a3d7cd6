import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from packages/bench-kit/dist (or src under jest). */
const REPO_ROOT = join(__dirname, '../../..');

export interface BenchmarkSection {
  /** The section sits between `<!-- marker -->` and `<!-- /marker -->` in docs/benchmarks.md. */
  marker: string;
  markdown: string;
}

/**
 * `text` with the marked section replaced by `markdown` (markers kept), or, when `text` has no such
 * section, with it appended after a blank line; the rest of `text` is left as it is.
 */
export function replaceMarkedSection(text: string, { marker, markdown }: BenchmarkSection): string {
  const begin = `<!-- ${marker} -->`;
  const end = `<!-- /${marker} -->`;
  const block = `${begin}\n${markdown}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  return from >= 0 && to > from
    ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}`
    : `${text.trimEnd()}\n\n${block}\n`;
}

/** Writes bench/results/<name>.json and, when given, the benchmark's section of docs/benchmarks.md. */
export function writeBenchmarkResults({
  name,
  results,
  section,
  root = REPO_ROOT,
}: {
  name: string;
  results: unknown;
  section?: BenchmarkSection;
  root?: string;
}): void {
  const json = join(root, 'bench/results', `${name}.json`);
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  if (!section) return;

  const docs = join(root, 'docs/benchmarks.md');
  let text = '# Benchmarks\n';
  try {
    text = readFileSync(docs, 'utf8');
  } catch {
    // the first benchmark to write the file
  }
  mkdirSync(dirname(docs), { recursive: true });
  writeFileSync(docs, replaceMarkedSection(text, section));
}
