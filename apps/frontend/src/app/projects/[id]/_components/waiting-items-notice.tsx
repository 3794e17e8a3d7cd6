import Link from 'next/link';
import type { ProgressResponse } from '@foreman/contracts';
import { count } from '@/lib/plural';

/**
 * Items that still need labels but that the queue offers to nobody, so the project cannot complete: every
 * member who has not labelled them skipped them, or every member has labelled them (docs/queue.md, "Items
 * waiting on skips"). Each says what brings them back.
 */
export function WaitingItemsNotice({
  projectId,
  progress: { waitingOnSkips, waitingOnMembers },
}: {
  projectId: string;
  progress: Pick<ProgressResponse, 'waitingOnSkips' | 'waitingOnMembers'>;
}) {
  const settings = `/projects/${projectId}/settings`;
  return (
    <>
      {waitingOnSkips > 0 && (
        <p className="notice" role="status" data-testid="waiting-on-skips">
          {count(waitingOnSkips, 'item')} {waitingOnSkips === 1 ? 'waits' : 'wait'} on skips: every member who
          has not labelled {them(waitingOnSkips)} skipped {them(waitingOnSkips)}, so nobody is offered{' '}
          {them(waitingOnSkips)} and the project cannot complete. Ask the labellers to use “Show skipped items
          again” when they have nothing left to label, or <Link href={settings}>add a member</Link>.
        </p>
      )}
      {waitingOnMembers > 0 && (
        <p className="notice" role="status" data-testid="waiting-on-members">
          {count(waitingOnMembers, 'item')} {waitingOnMembers === 1 ? 'needs' : 'need'} more labels than the
          members can give: every member has labelled {them(waitingOnMembers)}, so nobody is offered{' '}
          {them(waitingOnMembers)} and the project cannot complete. <Link href={settings}>Add a member</Link>,
          or lower labels per item.
        </p>
      )}
    </>
  );
}

function them(items: number): string {
  return items === 1 ? 'it' : 'them';
}
