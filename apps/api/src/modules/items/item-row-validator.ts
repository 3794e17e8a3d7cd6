import { createHash } from 'node:crypto';
import type { InputKind, ItemPayload } from '@foreman/contracts';

export interface ItemCandidate {
  externalId: string;
  payload: ItemPayload;
}

/** The item, or why the row is rejected. */
export type RowCheck = ItemCandidate | { reason: string };

const MAX_EXTERNAL_ID_CHARS = 256;
const MAX_URL_CHARS = 2048;
const FIELD_OF: Record<InputKind, 'vector' | 'url' | 'text'> = {
  vector: 'vector',
  image: 'url',
  text: 'text',
};
const PAYLOAD_FIELDS = ['vector', 'url', 'text'];
/** PostgreSQL text cannot hold NUL, and an unpaired UTF-16 surrogate has no UTF-8 form (it would be mangled). */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_REASON = 'contains a NUL character or an unpaired surrogate, which cannot be stored';

export function vectorLength(shape: number[] | null): number {
  return (shape ?? []).reduce((product, size) => product * size, 1);
}

/**
 * Without an id the external id is a hash of the payload, so importing the same file (or the same
 * item from another file) again is reported as duplicates instead of creating copies.
 */
export function contentId(payload: ItemPayload): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 32)}`;
}

/**
 * Checks one row against the project: an object with an optional `id` and exactly the payload field
 * of the project's input kind (`vector` of product(shape) finite numbers, an http(s) `url`, or a
 * non-empty `text`).
 */
export function createRowValidator(project: { inputKind: InputKind; shape: number[] | null }) {
  const field = FIELD_OF[project.inputKind];
  const length = vectorLength(project.shape);
  const expected = `"${field}"`;

  function payloadOf(value: unknown): ItemPayload | string {
    if (field === 'vector') {
      if (!Array.isArray(value)) return '"vector" must be an array of numbers';
      if (value.length !== length) {
        return `"vector" has ${value.length} numbers; this project's shape [${project.shape?.join(', ')}] needs ${length}`;
      }
      const bad = value.findIndex((entry) => typeof entry !== 'number' || !Number.isFinite(entry));
      if (bad !== -1) return `vector[${bad}] is not a finite number (${JSON.stringify(value[bad])})`;
      return { vector: value as number[] };
    }
    if (field === 'url') {
      if (typeof value !== 'string') return '"url" must be a string';
      if (value.length > MAX_URL_CHARS) return `"url" is longer than ${MAX_URL_CHARS} characters`;
      let url: URL | null = null;
      try {
        url = new URL(value);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
        return `"url" ${JSON.stringify(value)} is not a well-formed http(s) URL`;
      }
      return { url: value };
    }
    if (typeof value !== 'string') return '"text" must be a string';
    if (value.trim() === '') return '"text" is empty';
    if (UNSTORABLE.test(value)) return `"text" ${UNSTORABLE_REASON}`;
    return { text: value };
  }

  function externalIdOf(id: unknown, payload: ItemPayload): string | { reason: string } {
    if (id === undefined || id === null) return contentId(payload);
    const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
    if (typeof id === 'number' && Number.isInteger(id) && typeof text !== 'string') {
      // (JSON parsing has already rounded it: 9007199254740993 arrives as ...992)
      return { reason: '"id" is an integer too large to read exactly (above 2^53 - 1); send it as a string' };
    }
    if (typeof text !== 'string') return { reason: '"id" must be a string or an integer' };
    if (text === '') return { reason: '"id" is empty' };
    if (UNSTORABLE.test(text)) return { reason: `"id" ${UNSTORABLE_REASON}` };
    if (text.length > MAX_EXTERNAL_ID_CHARS) {
      return { reason: `"id" is longer than ${MAX_EXTERNAL_ID_CHARS} characters` };
    }
    return text;
  }

  return function check(row: unknown): RowCheck {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      return { reason: `expected an object with ${expected} and optionally "id"` };
    }
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === 'id' || key === field) continue;
      if (PAYLOAD_FIELDS.includes(key)) {
        return { reason: `this project takes ${project.inputKind} items (${expected}), not "${key}"` };
      }
      return { reason: `unknown field "${key}" (expected ${expected} and optionally "id")` };
    }
    if (!(field in record)) return { reason: `missing ${expected}` };
    const payload = payloadOf(record[field]);
    if (typeof payload === 'string') return { reason: payload };
    const externalId = externalIdOf(record.id, payload);
    if (typeof externalId !== 'string') return externalId;
    return { externalId, payload };
  };
}
