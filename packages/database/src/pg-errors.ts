export interface UniqueViolation {
  constraint?: string;
  detail?: string;
}

/** The unique violation (23505) a query failed with, from pg's own error or TypeORM's wrapper of it. */
export function uniqueViolation(error: unknown): UniqueViolation | undefined {
  const pgError = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint, detail } = pgError as { code?: string } & UniqueViolation;
  return code === '23505' ? { constraint, detail } : undefined;
}
