/**
 * A digits project of any size: the 1,797 demo digits (data/demo/digits.csv.gz), then perturbed copies
 * (every pixel moved by -1, 0 or +1 within 0..16, the class kept; 31 variants of each digit, repeated). Items go in by SQL,
 * in the columns the API's import writes, because a million rows through the HTTP import takes minutes
 * (see "API: import, progress, export" in docs/benchmarks.md); the project itself is created through the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import type { Project } from '@foreman/contracts';
import { REPO_ROOT } from '../../config/env';
import type { ApiSession } from '../../harness/api-session';

const DIGITS = 1_797;
const INSERT_BATCH = 50_000;
/** Distinct versions of each digit: 1,797 x 32 = 57,504 distinct items, repeated beyond that. */
const VARIANTS = 32;

interface Digit {
  vector: number[];
  label: string;
}

function readDigits(): Digit[] {
  return gunzipSync(readFileSync(join(REPO_ROOT, 'data/demo/digits.csv.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const fields = line.trim().split(',');
      return { vector: fields.slice(0, -1).map(Number), label: fields.at(-1)! };
    });
}

export interface DigitsProject {
  project: Project;
  items: number;
  /** The true class of an item by its external id (its 1-based position: copies repeat the demo rows). */
  trueClass(externalId: string): string;
  insertSeconds: number;
}

export async function createDigitsProject(
  api: ApiSession,
  databaseUrl: string,
  options: { items: number; retrainEveryLabels: number; name?: string },
): Promise<DigitsProject> {
  const digits = readDigits();
  if (digits.length !== DIGITS) throw new Error(`expected ${DIGITS} demo digits, read ${digits.length}`);
  const project = await api.call<Project>('POST', '/projects', {
    name: options.name ?? `Digits x ${options.items}`,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    inputKind: 'vector',
    shape: [8, 8],
    retrainEveryLabels: options.retrainEveryLabels,
    // Only the label count triggers a retrain, so each one is caused by a known submit.
    retrainAfterSeconds: 86_400,
  });

  const started = performance.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TEMPORARY TABLE bench_digits (row integer PRIMARY KEY, vector integer[] NOT NULL)`);
    // Each vector as an array literal: unnest would flatten a two-dimensional array.
    await client.query(
      `INSERT INTO bench_digits SELECT row, vector::int[] FROM unnest($1::int[], $2::text[]) AS d (row, vector)`,
      [digits.map((_, index) => index + 1), digits.map((digit) => `{${digit.vector.join(',')}}`)],
    );
    // Variant 0 is the digit itself; the others move every pixel by -1, 0 or +1 (within 0..16). Made once,
    // so inserting a million items is a join rather than 64 million random draws.
    await client.query(
      `CREATE TEMPORARY TABLE bench_variants AS
       SELECT d.row, v.variant,
              jsonb_build_object('vector', CASE WHEN v.variant = 0 THEN to_jsonb(d.vector) ELSE
                (SELECT jsonb_agg(least(16, greatest(0, p + floor(random() * 3)::int - 1)) ORDER BY o)
                   FROM unnest(d.vector) WITH ORDINALITY AS pixel (p, o)) END) AS payload
         FROM bench_digits d CROSS JOIN generate_series(0, ${VARIANTS - 1}) AS v (variant)`,
    );
    await client.query(`ALTER TABLE bench_variants ADD PRIMARY KEY (row, variant)`);
    for (let from = 1; from <= options.items; from += INSERT_BATCH) {
      const to = Math.min(options.items, from + INSERT_BATCH - 1);
      await client.query(
        `INSERT INTO items (project_id, external_id, payload, remaining_labels)
         SELECT $1, g::text, v.payload, $4
           FROM generate_series($2::int, $3::int) AS g
           JOIN bench_variants v ON v.row = (g - 1) % ${DIGITS} + 1 AND v.variant = ((g - 1) / ${DIGITS}) % ${VARIANTS}
          ORDER BY g`,
        [project.id, from, to, project.labelsPerItem],
      );
    }
    await client.query('ANALYZE items');
  } finally {
    await client.end();
  }
  return {
    project,
    items: options.items,
    trueClass: (externalId) => digits[(Number(externalId) - 1) % DIGITS]!.label,
    insertSeconds: (performance.now() - started) / 1000,
  };
}
