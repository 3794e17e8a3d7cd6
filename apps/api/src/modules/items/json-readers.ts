import { MAX_ROW_CHARS } from './import-limits';
import { JsonArraySplitter, type JsonElement } from './json-array-splitter';
import type { SourceRow } from './source-row';
import { Utf8Decoder } from './utf8-decoder';

const tooLarge = `the row is larger than ${MAX_ROW_CHARS / 1024 / 1024} MiB`;

function parseElement({ row, text }: JsonElement): SourceRow {
  if (text === null) return { row, error: tooLarge };
  try {
    return { row, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { row, error: `not valid JSON: ${(error as Error).message}` };
  }
}

/** Rows of a JSON array body (`application/json`), one top-level element at a time. */
export async function* readJsonArray(body: AsyncIterable<Buffer>): AsyncGenerator<SourceRow> {
  const decoder = new Utf8Decoder();
  const splitter = new JsonArraySplitter(MAX_ROW_CHARS);
  for await (const chunk of body) {
    for (const element of splitter.push(decoder.write(chunk))) yield parseElement(element);
  }
  for (const element of splitter.push(decoder.end())) yield parseElement(element);
  splitter.end();
}

/**
 * Rows of an NDJSON body (`application/x-ndjson`): one JSON value per line; blank lines are skipped
 * and not counted, so row N is the N-th item as in the other formats.
 */
export async function* readNdjson(body: AsyncIterable<Buffer>): AsyncGenerator<SourceRow> {
  const decoder = new Utf8Decoder();
  let rows = 0;
  let parts: string[] = [];
  let size = 0;
  let oversized = false;

  function* lineEnd(): Generator<SourceRow> {
    const line = oversized ? null : parts.join('');
    parts = [];
    size = 0;
    oversized = false;
    if (line !== null && line.trim() === '') return;
    yield parseElement({ row: ++rows, text: line });
  }

  function keep(piece: string): void {
    if (oversized) return;
    size += piece.length;
    if (size > MAX_ROW_CHARS) {
      oversized = true;
      parts = [];
    } else {
      parts.push(piece);
    }
  }

  function* feed(text: string): Generator<SourceRow> {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      keep(text.slice(start, newline));
      yield* lineEnd();
      start = newline + 1;
    }
    keep(text.slice(start));
  }

  let first = true;
  for await (const chunk of body) {
    const text = decoder.write(chunk);
    // A byte-order mark (from some editors) is not part of the first line.
    yield* feed(first && text.startsWith('\uFEFF') ? text.slice(1) : text);
    if (text.length > 0) first = false;
  }
  yield* feed(decoder.end());
  yield* lineEnd();
}
