import { useCallback, useRef, useState } from 'react';
import type { Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';

/** How old the page's copy of the project may be when a new item comes before it is fetched again. */
const FRESH_FOR_MS = 15_000;

/**
 * The project as the page knows it: loaded with the page, and fetched again when an answer hints that an
 * admin changed it meanwhile (its classes, multi-label, lease time, or archived), and in the background
 * with a new item once it is FRESH_FOR_MS old, so a class an admin added shows without a reload.
 */
export function useCurrentProject(loaded: Project): {
  project: Project;
  refetch: () => Promise<Project>;
  refreshIfStale: () => void;
} {
  const [project, setProject] = useState(loaded);
  const fetchedAt = useRef(Date.now());
  const refetch = useCallback(async () => {
    fetchedAt.current = Date.now();
    const current = await browserApi.getProject(loaded.id);
    setProject(current);
    return current;
  }, [loaded.id]);
  const refreshIfStale = useCallback(() => {
    // (a failed fetch is tried again with a later item)
    if (Date.now() - fetchedAt.current >= FRESH_FOR_MS) void refetch().catch(() => undefined);
  }, [refetch]);
  return { project, refetch, refreshIfStale };
}
