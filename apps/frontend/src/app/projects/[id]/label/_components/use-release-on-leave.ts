import { useEffect, useRef } from 'react';
import { browserApi } from '@/lib/api/client';

/**
 * Gives the item on screen (`itemId`; null: none to give back) back to the queue when the labeller leaves
 * the page — closes the tab, reloads it or goes to another page — instead of holding it until its lease
 * runs out (10 minutes by default), as a closed tab did before. A beacon, because the page is going away.
 * A page the browser brings back from its cache asks for its item again (`onReturn`): usually the same one.
 */
export function useReleaseOnLeave(itemId: number | null, onReturn: () => void): void {
  const held = useRef(itemId);
  const returned = useRef(onReturn);
  useEffect(() => {
    held.current = itemId;
    returned.current = onReturn;
  }, [itemId, onReturn]);

  useEffect(() => {
    let released = false;
    const release = () => {
      if (held.current === null) return;
      released = navigator.sendBeacon(browserApi.releaseUrl(held.current));
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (!event.persisted || !released) return;
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
  }, []);
}
