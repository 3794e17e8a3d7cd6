import Link from 'next/link';

/** An archived project's label page: the API answers every request for an item with 409 meanwhile. */
export function LabellingClosed({ projectName }: { projectName: string }) {
  return (
    <div className="state-box" data-testid="labelling-closed">
      <h2>Labelling is closed</h2>
      <p>
        {projectName} is archived, so it hands out no items. The labels given so far are kept; an admin can
        reopen it from the project’s settings.
      </p>
      <Link className="button secondary" href="/">
        Back to projects
      </Link>
    </div>
  );
}
