import { useEffect, useEffectEvent } from 'react';

/** What each key does on the page now; null where that action is not on offer. */
export interface KeyActions {
  undo: (() => void) | null;
  /** The next item, after a lost item or at the end of the queue (N, or Enter). */
  next: (() => void) | null;
  revisitSkipped: (() => void) | null;
  /** A failed request waiting to be sent again (Enter); the item's keys wait meanwhile. */
  retry: (() => void) | null;
  skip: (() => void) | null;
  /** A multi-label project's toggled classes (Enter). */
  submitSelection: (() => void) | null;
  choose: ((className: string) => void) | null;
  classByKey: ReadonlyMap<string, string>;
}

function actionFor(key: string, actions: KeyActions): (() => void) | null {
  const byKey: Record<string, (() => void) | null> = {
    u: actions.undo,
    backspace: actions.undo,
    enter: actions.retry ?? actions.submitSelection ?? actions.next,
    n: actions.next,
    r: actions.revisitSkipped,
    s: actions.skip,
  };
  const own = byKey[key];
  if (own) return own;
  // (N and R are class keys too while an item is on screen: next and revisit are offered only without one)
  const className = actions.classByKey.get(key);
  const { choose } = actions;
  return className !== undefined && choose ? () => choose(className) : null;
}

/** The labelling page's keyboard: one handler on the window, acting on what `actions` offers. */
export function useLabellingKeys(actions: KeyActions): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    const key = event.key.toLowerCase();
    // Enter and Space on a focused button or link are its own: a class button toggles, Retry retries.
    if ((key === 'enter' || key === ' ') && target?.closest('button, a[href]')) return;
    const action = actionFor(key, actions);
    if (!action) return;
    event.preventDefault();
    action();
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
