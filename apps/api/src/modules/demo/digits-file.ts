import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { SourceRow } from '../items/source-row';

/**
 * Rows of data/demo/digits.csv.gz (no header; 64 pixel values 0..16, then the true class) as import
 * rows: the pixels as the vector, the row number as the external id, the true class left out.
 */
export async function* readDigitsFile(path: string): AsyncGenerator<SourceRow> {
  const records = pipeline(
    createReadStream(path),
    createGunzip(),
    parse({ skip_empty_lines: true, relax_column_count: true }),
    () => undefined,
  );
  let row = 0;
  for await (const record of records as AsyncIterable<string[]>) {
    row++;
    yield { row, value: { id: String(row), vector: record.slice(0, -1).map(Number) } };
  }
}
