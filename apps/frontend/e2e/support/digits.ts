import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const DIGITS = path.resolve(__dirname, '..', '..', '..', '..', 'data', 'demo', 'digits.csv.gz');

export interface DigitsFile {
  path: string;
  /** The true class of each item by its external id: the tests' oracle, never uploaded. */
  truth: Map<string, string>;
}

/** The first `count` demo digits as an import CSV (id + 64 pixel columns, truth column left out). */
export function writeDigitsCsv(count: number, directory: string): DigitsFile {
  const rows = gunzipSync(readFileSync(DIGITS)).toString('utf8').trim().split('\n').slice(0, count);
  const truth = new Map<string, string>();
  const header = ['id', ...Array.from({ length: 64 }, (_, index) => `p${index}`)].join(',');
  const lines = rows.map((row, index) => {
    const values = row.split(',');
    const id = `digit-${index + 1}`;
    truth.set(id, values[64] ?? '');
    return [id, ...values.slice(0, 64)].join(',');
  });
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `digits-${count}.csv`);
  writeFileSync(file, `${header}\n${lines.join('\n')}\n`);
  return { path: file, truth };
}
