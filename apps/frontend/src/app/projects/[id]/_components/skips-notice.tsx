import Link from 'next/link';
import { count } from '@/lib/plural';

/**
 * Items every member who has not labelled them skipped: the queue offers them to nobody, so the project
 * cannot complete until someone brings them back (docs/queue.md, "Items waiting on skips").
 */
export function SkipsNotice({ projectId, waitingOnSkips }: { projectId: string; waitingOnSkips: number }) {
  if (waitingOnSkips === 0) return null;
  const them = waitingOnSkips === 1 ? 'it' : 'them';
  return (
    <p className="notice" role="status" data-testid="waiting-on-skips">
      {count(waitingOnSkips, 'item')} {waitingOnSkips === 1 ? 'waits' : 'wait'} on skips: every member who has
      not labelled {them} skipped {them}, so nobody is offered {them} and the project cannot complete. Ask the
      labellers to use “Show skipped items again” when they have nothing left to label, or{' '}
      <Link href={`/projects/${projectId}/settings`}>add a member</Link>.
    </p>
  );
}
