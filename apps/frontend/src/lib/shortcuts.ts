/** Keys the labelling page keeps for its own actions: S skip, U undo. */
const RESERVED = new Set(['s', 'u']);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((letter) => !RESERVED.has(letter));
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', ...LETTERS];
const KEY_SET = new Set(KEYS);

/**
 * The shortcut of each class. When every class is itself a free key ("0".."9", "a", "b"…), it is its own
 * shortcut, so digit 3 is key 3; otherwise keys go by class order: 1–9, 0, then letters (null past the last).
 */
export function shortcutKeys(classes: readonly string[]): (string | null)[] {
  const own = classes.map((name) => name.toLowerCase());
  if (own.every((key) => KEY_SET.has(key)) && new Set(own).size === own.length) return own;
  return classes.map((_, index) => KEYS[index] ?? null);
}
