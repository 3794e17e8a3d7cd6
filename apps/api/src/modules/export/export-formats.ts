import { Transform } from 'node:stream';
import type { ExportFormat, ExportRow } from '@foreman/contracts';
import type { ExportSourceRow } from './export.repository';
import { summarizeLabels } from './label-summary';

/** The CSV header, in this order; documented in docs/items.md. */
export const EXPORT_CSV_COLUMNS = [
  'item_id',
  'external_id',
  'payload',
  'majority',
  'agreement',
  'label_count',
  'labels',
  'predicted_class',
  'predicted_probability',
  'model_version',
] as const;

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * The download's Content-Disposition, named after the project: in full (RFC 6266 `filename*`, any script)
 * and, for clients that only read `filename`, in ASCII with accents dropped ("Ünïcode" -> "unicode").
 */
export function exportDisposition(projectName: string, format: ExportFormat): string {
  const fileName = (name: string, notKept: RegExp) =>
    `${
      name
        .toLowerCase()
        .replace(notKept, '-')
        .replace(/^-+|-+$/g, '') || 'project'
    }-labels.${format}`;
  const ascii = fileName(projectName.normalize('NFKD').replace(/\p{M}/gu, ''), /[^a-z0-9]+/g);
  const full = fileName(projectName.normalize('NFC'), /[^\p{L}\p{N}]+/gu);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}

export function toExportRow(row: ExportSourceRow): ExportRow {
  const labels = row.labels.map((label) => ({
    ...label,
    createdAt: new Date(label.createdAt).toISOString(),
  }));
  const { majority, agreement } = summarizeLabels(labels.map((label) => label.value));
  const prediction =
    row.predictedClass !== null && row.predictedProbability !== null && row.modelVersion !== null
      ? {
          className: row.predictedClass,
          probability: row.predictedProbability,
          modelVersion: row.modelVersion,
        }
      : null;
  return {
    itemId: row.itemId,
    externalId: row.externalId,
    payload: row.payload,
    labels,
    majority,
    agreement,
    prediction,
  };
}

/** Text a spreadsheet would run as a formula (OWASP "CSV injection"), unless it is a plain number. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value); // never needs quotes
  // Imported ids and texts, and class names, are whatever someone typed: a leading ' keeps a spreadsheet
  // opening the file from running "=HYPERLINK(…)" as a formula.
  const text = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(row: ExportRow): string {
  const payload = row.payload;
  const cells = [
    row.itemId,
    row.externalId,
    'vector' in payload ? JSON.stringify(payload.vector) : 'url' in payload ? payload.url : payload.text,
    row.majority === null ? null : row.majority.join('|'),
    row.agreement,
    row.labels.length,
    JSON.stringify(row.labels),
    row.prediction?.className ?? null,
    row.prediction?.probability ?? null,
    row.prediction?.modelVersion ?? null,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Text goes on in pieces of about this many characters: handing the response one row at a time cost
 * more (its write path, ~5 µs per row) than formatting the row.
 */
const PIECE_CHARS = 64 * 1024;

/** Turns source rows into the chosen format's text, passed on in pieces of about PIECE_CHARS. */
export function exportFormatter(format: ExportFormat): Transform {
  let first = true;
  let pending = '';
  return new Transform({
    writableObjectMode: true,
    transform(source: ExportSourceRow, _encoding, done) {
      const row = toExportRow(source);
      if (format === 'csv') pending += (first ? `${EXPORT_CSV_COLUMNS.join(',')}\r\n` : '') + csvLine(row);
      else if (format === 'ndjson') pending += `${JSON.stringify(row)}\n`;
      else pending += `${first ? '[\n' : ',\n'}${JSON.stringify(row)}`;
      first = false;
      if (pending.length < PIECE_CHARS) return done();
      const piece = pending;
      pending = '';
      done(null, piece);
    },
    flush(done) {
      let tail = '';
      if (format === 'csv' && first) tail = `${EXPORT_CSV_COLUMNS.join(',')}\r\n`;
      else if (format === 'json') tail = first ? '[]\n' : '\n]\n';
      const rest = pending + tail;
      pending = '';
      if (rest === '') done();
      else done(null, rest);
    },
  });
}
