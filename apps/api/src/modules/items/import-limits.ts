/** Largest import body, after decompression: a stream, so this bounds time and disk, not memory. */
export const MAX_IMPORT_BYTES = 1024 ** 3;
/** Largest single row (a JSON element, an NDJSON line, a CSV record), in characters. */
export const MAX_ROW_CHARS = 1024 * 1024;
/** Rows written per INSERT. */
export const IMPORT_BATCH_SIZE = 1000;
/** Rejected rows listed in the report (all of them are counted). */
export const MAX_REPORTED_REJECTIONS = 100;
