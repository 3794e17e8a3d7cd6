import { useCallback, useState } from 'react';
import type { Project } from '@foreman/contracts';
import { browserApi } from '@/lib/api/client';

/**
 * The project as the page knows it: loaded with the page, and fetched again when an answer hints that an
 * admin changed it meanwhile (its classes, multi-label, lease time, or archived).
 */
export function useCurrentProject(loaded: Project): [Project, () => Promise<Project>] {
  const [project, setProject] = useState(loaded);
  const refetch = useCallback(async () => {
    const current = await browserApi.getProject(loaded.id);
    setProject(current);
    return current;
  }, [loaded.id]);
  return [project, refetch];
}
