import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path to the bad field (`payload.items.3.score`), or `(root)`. */
  field: string;
  message: string;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** One line per bad field: `payload.value: Too small: expected array to have >=1 items`. */
export function formatIssues(error: z.ZodError): string {
  return fieldIssues(error)
    .map((issue) => `${issue.field}: ${issue.message}`)
    .join('; ');
}
