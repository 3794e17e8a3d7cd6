/** One row of an import file as its reader sees it: a value to validate, or why it cannot be read. */
export type SourceRow = { row: number; value: unknown } | { row: number; error: string };
