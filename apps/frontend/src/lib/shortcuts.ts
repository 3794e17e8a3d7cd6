/** Keys the labelling page keeps for its own actions: S skip, U undo. */
const RESERVED = new Set(['s', 'u']);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((letter) => !RESERVED.has(letter));
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', ...LETTERS];

/** The shortcut of each class, in the project's class order: 1–9, 0, then letters (null past the last key). */
export function shortcutKeys(classes: readonly string[]): (string | null)[] {
  return classes.map((_, index) => KEYS[index] ?? null);
}
