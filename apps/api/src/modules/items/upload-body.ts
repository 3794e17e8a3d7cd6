import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { MAX_IMPORT_BYTES } from './import-limits';

export type ImportFormat = 'json' | 'ndjson' | 'csv';

const FORMATS: Record<string, ImportFormat> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'text/csv': 'csv',
};

const IMPORT_ROUTE = /^\/projects\/[^/?]+\/items\/?(\?|$)/;

/**
 * Item imports stream their body (up to MAX_IMPORT_BYTES); the global JSON body parser, limited to
 * 1 MB, must leave them alone.
 */
export function isStreamedUpload(request: IncomingMessage): boolean {
  return request.method === 'POST' && IMPORT_ROUTE.test(request.url ?? '');
}

export function importFormatOf(contentType: string | undefined): ImportFormat {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const format = FORMATS[mime];
  if (!format) {
    throw new UnsupportedMediaTypeException(
      `import items as application/json (an array), application/x-ndjson or text/csv; got ${mime ? `"${mime}"` : 'no Content-Type'}`,
    );
  }
  return format;
}

/**
 * The request body as it arrives, gunzipped when sent with `Content-Encoding: gzip`, failing with 413
 * once it passes MAX_IMPORT_BYTES (counted after decompression).
 */
export async function* uploadBody(request: IncomingMessage): AsyncGenerator<Buffer> {
  const tooLarge = () =>
    new PayloadTooLargeException(`an import may be at most ${MAX_IMPORT_BYTES / 1024 ** 3} GiB`);
  if (Number(request.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new UnsupportedMediaTypeException(`unsupported Content-Encoding "${encoding}" (use gzip or none)`);
  }
  const stream: AsyncIterable<Buffer> =
    encoding === 'gzip' ? pipeline(request, createGunzip(), () => undefined) : request;
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += chunk.length;
      if (bytes > MAX_IMPORT_BYTES) throw tooLarge();
      yield chunk;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('Z_')) throw new BadRequestException('the body is not valid gzip');
    if (code === 'ECONNRESET' || request.destroyed) {
      throw new BadRequestException('the upload broke off before the end of the body; nothing was imported');
    }
    throw error;
  }
}

/** What the global JSON body parser reads: `application/json` (any parameters). */
export function isJsonRequest(request: IncomingMessage): boolean {
  return /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}
