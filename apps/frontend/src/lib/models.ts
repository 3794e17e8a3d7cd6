import type { InputKind } from '@foreman/contracts';

/**
 * Whether the trainer fits models to a project's items: vectors and texts, but not image URLs (it fetches
 * nothing), so image projects are served in import order and have no active-learning settings.
 */
export function getsModels(inputKind: InputKind): boolean {
  return inputKind !== 'image';
}
