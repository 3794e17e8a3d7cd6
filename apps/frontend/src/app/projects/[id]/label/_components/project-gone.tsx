import Link from 'next/link';

/** The labeller was taken off the project, or it was deleted (the API answers both alike): nothing to retry. */
export function ProjectGone() {
  return (
    <div className="state-box" data-testid="project-gone" role="alert">
      <h2>You are no longer on this project</h2>
      <p>
        An admin took you off it, or deleted it, so nothing more can be labelled here. If you were taken off
        it, the labels you gave are kept.
      </p>
      <Link className="button" href="/" autoFocus>
        Back to projects
      </Link>
    </div>
  );
}
