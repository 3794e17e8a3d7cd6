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

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
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

/** Turns source rows into the chosen format's text, one row at a time. */
export function exportFormatter(format: ExportFormat): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(source: ExportSourceRow, _encoding, done) {
      const row = toExportRow(source);
      let text: string;
      if (format === 'csv') text = (first ? `${EXPORT_CSV_COLUMNS.join(',')}\r\n` : '') + csvLine(row);
      else if (format === 'ndjson') text = `${JSON.stringify(row)}\n`;
      else text = `${first ? '[\n' : ',\n'}${JSON.stringify(row)}`;
      first = false;
      done(null, text);
    },
    flush(done) {
      if (format === 'csv' && first) done(null, `${EXPORT_CSV_COLUMNS.join(',')}\r\n`);
      else if (format === 'json') done(null, first ? '[]\n' : '\n]\n');
      else done();
    },
  });
}
