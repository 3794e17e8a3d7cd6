import { Readable } from 'node:stream';
import type { ExportFormat } from '@foreman/contracts';
import { EXPORT_CSV_COLUMNS, exportDisposition, exportFormatter } from './export-formats';
import type { ExportSourceRow } from './export.repository';

const ROWS = 2_000;

function sourceRow(id: number): ExportSourceRow {
  return {
    itemId: id,
    externalId: `item "${id}", quoted`,
    payload: { vector: Array.from({ length: 64 }, (_, i) => (id + i) % 17) },
    labels: [{ value: ['7'], labellerId: 'u1', labeller: 'Ann', createdAt: '2026-01-01T10:00:00+00:00' }],
    predictedClass: null,
    predictedProbability: null,
    modelVersion: null,
  };
}

/** The pieces the formatter passes on for `rows` source rows. */
async function pieces(format: ExportFormat, rows: number): Promise<string[]> {
  const out: string[] = [];
  const source = Readable.from(Array.from({ length: rows }, (_, i) => sourceRow(i + 1)));
  for await (const piece of source.pipe(exportFormatter(format))) out.push(String(piece));
  return out;
}

describe('exportFormatter', () => {
  it.each(['csv', 'json', 'ndjson'] as const)(
    'passes %s on in pieces of about 64 KiB, not a write per row, losing no row',
    async (format) => {
      const out = await pieces(format, ROWS);
      const text = out.join('');
      expect(text.length).toBeGreaterThan(5 * 64 * 1024);
      expect(out.length).toBeGreaterThan(1);
      expect(out.length).toBeLessThan(ROWS / 50);
      // Every piece but the last is at least 64 KiB and less than a row more.
      for (const piece of out.slice(0, -1)) {
        expect(piece.length).toBeGreaterThanOrEqual(64 * 1024);
        expect(piece.length).toBeLessThan(64 * 1024 + 1024);
      }
      const ids =
        format === 'json'
          ? (JSON.parse(text) as { itemId: number }[]).map((row) => row.itemId)
          : format === 'ndjson'
            ? text
                .trimEnd()
                .split('\n')
                .map((line) => (JSON.parse(line) as { itemId: number }).itemId)
            : text
                .split('\r\n')
                .slice(1, -1)
                .map((line) => Number(line.split(',')[0]));
      expect(ids).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
      if (format === 'csv') expect(text.startsWith(`${EXPORT_CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    },
  );

  it('writes a header, [] or nothing for no rows', async () => {
    expect((await pieces('csv', 0)).join('')).toBe(`${EXPORT_CSV_COLUMNS.join(',')}\r\n`);
    expect((await pieces('json', 0)).join('')).toBe('[]\n');
    expect((await pieces('ndjson', 0)).join('')).toBe('');
  });
});

describe('exportDisposition', () => {
  it.each([
    ['Digits (demo)', 'csv', 'digits-demo-labels.csv', 'digits-demo-labels.csv'],
    ['34 classes ☃ Ünïcode', 'json', '34-classes-unicode-labels.json', '34-classes-ünïcode-labels.json'],
    ['日本語プロジェクト', 'ndjson', 'project-labels.ndjson', '日本語プロジェクト-labels.ndjson'],
    ['"; evil=1', 'csv', 'evil-1-labels.csv', 'evil-1-labels.csv'],
  ] as const)('names %j in ASCII and in full', (name, format, ascii, full) => {
    expect(exportDisposition(name, format)).toBe(
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`,
    );
  });
});

describe('CSV cells a spreadsheet would run as formulas', () => {
  const csvRow = async (externalId: string, text: string, majority: string) => {
    const row = { ...sourceRow(1), externalId, payload: { text } };
    row.labels = [{ ...row.labels[0]!, value: [majority] }];
    const formatter = exportFormatter('csv');
    const pieces: string[] = [];
    formatter.on('data', (piece: Buffer | string) => pieces.push(String(piece)));
    const ended = new Promise((resolve) => formatter.on('end', resolve));
    formatter.end(row);
    await ended;
    return pieces.join('').split('\r\n')[1]!;
  };

  it('start with a quote mark: =, +, -, @, tab and CR, from ids, texts and class names alike', async () => {
    const line = await csvRow('=1+1', '=HYPERLINK("http://evil","x")', '@cmd');
    expect(line).toMatch(/^1,'=1\+1,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",'@cmd,/);
    expect(await csvRow('+a', '-2+3', '\tx')).toMatch(/^1,'\+a,'-2\+3,'\tx,,1,/);
  });

  it('leave plain numbers and other text as they are', async () => {
    expect(await csvRow('-5', '+3.5e2', 'cat')).toMatch(/^1,-5,\+3\.5e2,cat,/);
  });
});
