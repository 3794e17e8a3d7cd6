import Link from 'next/link';
import type { ProgressResponse, Project } from '@foreman/contracts';
import { orSignIn, requireUser } from '@/lib/api/server';
import { count } from '@/lib/plural';
import { ProgressBar } from './_components/progress-bar';

export default async function ProjectsPage() {
  const user = await requireUser('/');
  const projects = await orSignIn('/', (api) => api.listProjects());
  const progress = await orSignIn('/', (api) =>
    Promise.all(projects.map((project) => api.progress(project.id).catch((): ProgressResponse | null => null))),
  );
  const isAdmin = user.role === 'admin';
  const active = projects.filter((project) => !project.archived);
  // (labellers' lists never hold archived projects; admins reopen them from here)
  const archived = projects.filter((project) => project.archived);
  const card = (project: Project) => (
    <ProjectCard
      key={project.id}
      project={project}
      progress={progress[projects.indexOf(project)] ?? null}
      userId={user.id}
      isAdmin={isAdmin}
    />
  );

  return (
    <section>
      <div className="page-title">
        <h1>Projects</h1>
        {isAdmin && (
          <Link className="button" href="/projects/new">
            New project
          </Link>
        )}
      </div>
      {active.length === 0 && (
        <p className="muted">
          {!isAdmin
            ? 'You are not on any project yet. Ask an admin to add you.'
            : archived.length > 0
              ? 'No open projects. Create one, or unarchive one below.'
              : 'No projects yet. Create one and import items to label.'}
        </p>
      )}
      <ul className="cards">{active.map(card)}</ul>
      {archived.length > 0 && (
        <section className="archived-projects" aria-labelledby="archived-heading">
          <h2 id="archived-heading">Archived projects</h2>
          <p className="muted small">Labelling is closed on these; unarchive one in its settings.</p>
          <ul className="cards">{archived.map(card)}</ul>
        </section>
      )}
    </section>
  );
}

function ProjectCard({
  project,
  progress,
  userId,
  isAdmin,
}: {
  project: Project;
  progress: ProgressResponse | null;
  userId: string;
  isAdmin: boolean;
}) {
  const mine = progress?.labellers.find((labeller) => labeller.labellerId === userId)?.labels ?? 0;
  return (
    <li className="card">
      <h2>{project.name}</h2>
      {project.description && <p className="muted">{project.description}</p>}
      <p className="muted small">
        {count(project.classes.length, 'class', 'classes')}
        {project.multiLabel ? ', several per item (multi-label)' : ''} · {project.inputKind}
        {project.shape ? ` ${project.shape.join('×')}` : ''} · {count(project.labelsPerItem, 'label')} per item
      </p>
      {progress && (
        <>
          <ProgressBar value={progress.fullyLabelled} max={progress.total} label={`${project.name} progress`} />
          <p className="small">
            {progress.fullyLabelled} of {count(progress.total, 'item')} done · <strong>you: {count(mine, 'label')}</strong>
          </p>
        </>
      )}
      {/* (each link's name says its project: a screen reader's list of links shows them without their cards) */}
      <div className="actions">
        {!project.archived && (
          <Link className="button" href={`/projects/${project.id}/label`} aria-label={`Label ${project.name}`}>
            Label
          </Link>
        )}
        {isAdmin && (
          <>
            <Link
              className="button secondary"
              href={`/projects/${project.id}`}
              aria-label={`Dashboard of ${project.name}`}
            >
              Dashboard
            </Link>
            <Link
              className="button secondary"
              href={`/projects/${project.id}/settings`}
              aria-label={`Settings of ${project.name}`}
            >
              Settings
            </Link>
          </>
        )}
      </div>
    </li>
  );
}
