import { useEffect, useRef, useState } from 'react';
import { browserApi } from '@/lib/api/client';

/**
 * Gives the item on screen (`itemId`) back to the queue when the labeller leaves the page — closes the tab,
 * reloads it or goes to another page — instead of holding it until its lease runs out (10 minutes by
 * default), as a closed tab did before. A beacon, because the page is going away. Not while `releasable` is
 * false (a label or skip for it is under way or waits for Retry), nor while another tab of this browser
 * shows the same item (the API serves a labeller's live lease to each of their tabs). A page the browser
 * brings back from its cache asks for its item again (`onReturn`): usually the same one.
 */
export function useReleaseOnLeave(itemId: number | null, releasable: boolean, onReturn: () => void): void {
  const [tab] = useState(() => `${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const held = useRef({ itemId, releasable });
  const returned = useRef(onReturn);
  useEffect(() => {
    held.current = { itemId, releasable };
    returned.current = onReturn;
  }, [itemId, releasable, onReturn]);

  useEffect(() => {
    if (itemId === null) return;
    markShowing(itemId, tab, true);
    return () => markShowing(itemId, tab, false);
  }, [itemId, tab]);

  useEffect(() => {
    let released = false;
    const release = () => {
      const shown = held.current.itemId;
      if (shown === null) return;
      markShowing(shown, tab, false);
      if (!held.current.releasable || tabsShowing(shown).length > 0) return;
      released = navigator.sendBeacon(browserApi.releaseUrl(shown));
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      if (held.current.itemId !== null) markShowing(held.current.itemId, tab, true);
      if (!released) return;
      released = false;
      returned.current();
    };
    window.addEventListener('pagehide', release);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pagehide', release);
      window.removeEventListener('pageshow', onPageShow);
      release(); // (left for another page of the site, without a page load)
    };
  }, [tab]);
}

/** The tabs of this browser showing an item (localStorage, which its tabs share and read at once). */
const onScreenKey = (itemId: number) => `foreman:on-screen:${itemId}`;

function tabsShowing(itemId: number): string[] {
  try {
    const tabs: unknown = JSON.parse(localStorage.getItem(onScreenKey(itemId)) ?? '[]');
    return Array.isArray(tabs) ? tabs.filter((tab): tab is string => typeof tab === 'string') : [];
  } catch {
    return [];
  }
}

function markShowing(itemId: number, tab: string, showing: boolean): void {
  const tabs = tabsShowing(itemId).filter((entry) => entry !== tab);
  if (showing) tabs.push(tab);
  try {
    if (tabs.length > 0) localStorage.setItem(onScreenKey(itemId), JSON.stringify(tabs));
    else localStorage.removeItem(onScreenKey(itemId));
  } catch {
    // (storage full or turned off: a tab left then gives its item back as if no other tab showed it)
  }
}
