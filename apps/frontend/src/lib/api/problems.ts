import { count } from '../plural';
import type { ApiRequestError } from './errors';

/**
 * A 400's field problems as sentences a person reads: the field named as the form labels it (`labels`)
 * and zod's bounds in words ("Labels per item must be at least 1." for "labelsPerItem: Too small:
 * expected number to be >=1"). Without field details, the error's own message.
 */
export function readableProblems(error: ApiRequestError, labels: Record<string, string>): string[] {
  const details = error.body?.details;
  if (!Array.isArray(details) || details.length === 0) return [error.message];
  return details.map((detail: unknown) => {
    const { field, message } = (detail ?? {}) as { field?: unknown; message?: unknown };
    const text = String(message ?? detail);
    const name =
      typeof field === 'string' && field !== '(root)' ? (labels[field.split('.')[0] ?? ''] ?? field) : null;
    const bound =
      /^Too (?:small|big): expected \w+ to (?:have|be) ([<>])=?\s*(\S+?)(?: (item|character)s)?$/.exec(text);
    if (name && bound) {
      const [, direction, limit = '', unit] = bound;
      const amount = unit
        ? `have ${atLeastOrMost(direction)} ${count(Number(limit), unit)}`
        : `be ${atLeastOrMost(direction)} ${limit}`;
      return `${name} must ${amount}.`;
    }
    if (name && /^Invalid input: expected number/.test(text)) return `${name} must be a number.`;
    return asSentence(name ? `${name}: ${text}` : text);
  });
}

function atLeastOrMost(direction: string | undefined): string {
  return direction === '>' ? 'at least' : 'at most';
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
