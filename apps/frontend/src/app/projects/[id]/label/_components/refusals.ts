import type { NextItemResponse, Project } from '@foreman/contracts';
import { isApiError } from '@/lib/api/errors';

type ServedItem = Extract<NextItemResponse, { status: 'item' }>['item'];

/* What the API's refusals of a label or skip (a 409's `reason`) mean to the labeller. */

/** 409: the labeller's label on the item is saved already (from another tab, or a try whose answer was lost). */
export function isAlreadyLabelled(error: unknown): boolean {
  return isApiError(error, 409) && error.body?.reason === 'already-labelled';
}

/** Says that the label on the item is saved, where the API refused a new label or a skip because of it. */
export function alreadySavedNotice(item: ServedItem, action: 'label' | 'skip'): string {
  const where = 'given in another tab, or by an earlier try whose answer was lost';
  const undo = 'To change it, undo it: U takes back your latest label.';
  return action === 'label'
    ? `Your label for item ${item.externalId} is already saved (${where}); nothing new was saved. ${undo}`
    : `Item ${item.externalId} was not skipped: your label for it is already saved (${where}). ${undo}`;
}

/**
 * Why a label built on the page's copy of the project (`before`) no longer fits the project as it is now
 * (`after`): an admin changed its classes or multi-label while the page was open. Null when neither changed.
 */
export function settingsChangeNotice(before: Project, after: Project, item: ServedItem): string | null {
  const again = `Nothing was saved for item ${item.externalId}: choose again.`;
  if (before.multiLabel !== after.multiLabel) {
    return after.multiLabel
      ? `This project now takes several classes per item: toggle them with their keys, then press Enter. ${again}`
      : `This project now takes one class per item: press its key. ${again}`;
  }
  if (before.classes.join('\n') !== after.classes.join('\n')) {
    return `The classes of this project changed while this page was open; they are now ${after.classes.join(', ')}. ${again}`;
  }
  return null;
}
