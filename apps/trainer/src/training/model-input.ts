import type { InputKind } from '@foreman/contracts';
import { TEXT_CHARS_READ, TEXT_FEATURES, textFeatures } from './text-features';

/** What a model reads of one item: its vector, or its text's hashed features. */
export type ModelInput = readonly number[] | Float32Array;

/**
 * The SQL expression (over items `i`) for what a model of this input kind reads; image URLs get no model
 * (the trainer fetches nothing), so for them it reads nothing.
 */
export function modelInputColumn(inputKind: InputKind): string {
  if (inputKind === 'vector') return `i.payload -> 'vector'`;
  if (inputKind === 'text') return `left(i.payload ->> 'text', ${TEXT_CHARS_READ})`;
  return 'NULL';
}

/** The model input of a value read by modelInputColumn; null when it has none (a malformed vector). */
export function modelInputOf(inputKind: InputKind, value: unknown): ModelInput | null {
  if (inputKind === 'vector') return isVector(value) ? value : null;
  if (inputKind === 'text') return typeof value === 'string' ? textFeatures(value) : null;
  return null;
}

/**
 * The model's input shape for a project: a vector project's display shape (else the length of its first
 * labelled vector), TEXT_FEATURES for texts, null (no model) for image URLs.
 */
export function projectInputShape(
  project: { inputKind: InputKind; shape: number[] | null },
  firstInput: ModelInput | undefined,
): number[] | null {
  if (project.inputKind === 'text') return [TEXT_FEATURES];
  if (project.inputKind !== 'vector') return null;
  return project.shape ?? (firstInput ? [firstInput.length] : null);
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'number' && Number.isFinite(entry));
}
