import type { InputKind } from '@foreman/contracts';
import { CsvRecordSplitter, type CsvRecord } from './csv-record-splitter';
import { ImportFormatError } from './import-format-error';
import { MAX_ROW_CHARS } from './import-limits';
import type { SourceRow } from './source-row';
import { Utf8Decoder } from './utf8-decoder';

/** How the header maps columns to an item. */
type CsvLayout =
  | { idColumn: number | null; field: 'url' | 'text'; column: number; width: number }
  | { idColumn: number | null; field: 'vector'; columns: number[]; names: string[]; width: number };

const TOO_LARGE = `${MAX_ROW_CHARS / 1024 / 1024} MiB`;
/** A decimal number, with the white space around it that trim() would remove (the same set as \s). */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Reads the header: an optional `id` column, then either a `url` column (image projects), a `text`
 * column (text projects), or only numeric columns that form the vector in column order.
 */
export function csvLayout(header: string[], inputKind: InputKind, vectorLength: number): CsvLayout {
  const names = header.map((name) => name.trim());
  const lower = names.map((name) => name.toLowerCase());
  const repeated = lower.find((name, index) => lower.indexOf(name) !== index);
  if (repeated !== undefined) throw new ImportFormatError(`the CSV header names column "${repeated}" twice`);
  const idColumn = lower.indexOf('id') === -1 ? null : lower.indexOf('id');
  const others = lower.flatMap((name, index) => (index === idColumn ? [] : [index]));
  const width = names.length;

  if (inputKind === 'vector') {
    const wrong = ['url', 'text'].find((name) => lower.includes(name));
    if (wrong) {
      throw new ImportFormatError(
        `this project takes vectors, but the CSV has a "${wrong}" column; use one numeric column per vector entry`,
      );
    }
    if (others.length !== vectorLength) {
      throw new ImportFormatError(
        `the CSV has ${others.length} vector columns, but this project's vectors have ${vectorLength} entries`,
      );
    }
    return { idColumn, field: 'vector', columns: others, names: others.map((i) => names[i]!), width };
  }

  const field = inputKind === 'image' ? 'url' : 'text';
  const column = lower.indexOf(field);
  if (column === -1) {
    throw new ImportFormatError(
      `this project takes ${inputKind === 'image' ? 'image URLs' : 'texts'}: the CSV header needs a "${field}" column (and optionally "id")`,
    );
  }
  const extra = others.filter((index) => index !== column).map((index) => `"${names[index]}"`);
  if (extra.length > 0) {
    throw new ImportFormatError(
      `unexpected CSV column(s) ${extra.join(', ')}: only "${field}" and optionally "id" are read`,
    );
  }
  return { idColumn, field, column, width };
}

function toValue(record: string[], layout: CsvLayout): { value: unknown } | { error: string } {
  if (record.length !== layout.width) {
    return { error: `the row has ${record.length} columns; the header has ${layout.width}` };
  }
  const id = layout.idColumn === null ? undefined : record[layout.idColumn]?.trim() || undefined;
  if (layout.field !== 'vector') return { value: { id, [layout.field]: record[layout.column] } };

  // An indexed loop and no trim (the pattern allows the white space Number() skips): this runs per cell.
  const { columns } = layout;
  const vector: number[] = [];
  for (let position = 0; position < columns.length; position++) {
    const cell = record[columns[position]!]!;
    const number = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
    if (!Number.isFinite(number)) {
      return {
        error: `column "${layout.names[position]}": ${JSON.stringify(cell.trim())} is not a finite number`,
      };
    }
    vector.push(number);
  }
  return { value: { id, vector } };
}

/** Rows of a CSV body (`text/csv`) with a header row; row N is the N-th record after the header. */
export async function* readCsv(
  body: AsyncIterable<Buffer>,
  project: { inputKind: InputKind; vectorLength: number },
): AsyncGenerator<SourceRow> {
  const decoder = new Utf8Decoder();
  const splitter = new CsvRecordSplitter(MAX_ROW_CHARS);
  let layout: CsvLayout | null = null;
  let row = 0;

  function* rows(records: CsvRecord[]): Generator<SourceRow> {
    for (const record of records) {
      if (!layout) {
        if (!record) throw new ImportFormatError(`the CSV header is larger than ${TOO_LARGE}`);
        layout = csvLayout(record, project.inputKind, project.vectorLength);
        continue;
      }
      row++;
      if (!record) {
        yield { row, error: `the row is larger than ${TOO_LARGE}` };
        continue;
      }
      const result = toValue(record, layout);
      yield 'error' in result ? { row, error: result.error } : { row, value: result.value };
    }
  }

  for await (const chunk of body) yield* rows(splitter.push(decoder.write(chunk)));
  yield* rows(splitter.push(decoder.end()));
  yield* rows(splitter.end());
  if (!layout) throw new ImportFormatError('the request body is empty; expected a CSV header row');
}
