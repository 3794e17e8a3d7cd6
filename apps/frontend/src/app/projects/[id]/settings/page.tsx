import type { Metadata } from 'next';
import Link from 'next/link';
import { orSignIn, requireAdmin } from '@/lib/api/server';
import { serviceLinks } from '@/lib/service-links';
import { ProjectForm } from '../../_components/project-form';
import { ArchivedNotice } from '../_components/archived-notice';
import { ArchiveProject } from './archive-project';
import { DeleteProject } from './delete-project';
import { ImportUpload } from './import-upload';
import { Members } from './members';

export const metadata: Metadata = { title: 'Project settings' };

export default async function ProjectSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const { created } = await searchParams;
  const returnTo = `/projects/${id}/settings`;
  await requireAdmin(returnTo);
  const [project, members, users] = await orSignIn(returnTo, (api) =>
    Promise.all([api.getProject(id), api.listMembers(id), api.listUsers()]),
  );
  const links = await serviceLinks();
  return (
    <section>
      <div className="page-title">
        <h1>{project.name}: settings</h1>
        <div className="actions">
          <Link className="button secondary" href={`/projects/${id}`}>
            Dashboard
          </Link>
          <Link className="button secondary" href={`/projects/${id}/label`}>
            Label
          </Link>
        </div>
      </div>
      {project.archived && <ArchivedNotice />}
      {created && (
        <p className="notice" role="status">
          Project created. Import items and add labellers below.
        </p>
      )}
      <div className="settings-grid">
        <section className="panel" aria-labelledby="import-heading">
          <h2 id="import-heading">Import items</h2>
          <ImportUpload project={project} />
        </section>
        <section className="panel" aria-labelledby="members-heading">
          <h2 id="members-heading">Labellers on this project</h2>
          <Members projectId={project.id} users={users} initialMembers={members} />
        </section>
        <section className="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Settings</h2>
          <ProjectForm project={project} />
        </section>
        <section className="panel" aria-labelledby="archive-heading">
          <h2 id="archive-heading">Archive</h2>
          <ArchiveProject project={project} />
        </section>
        {project.archived && (
          <section className="panel" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete</h2>
            <DeleteProject project={project} />
          </section>
        )}
        {(links.rabbitmq || links.adminer) && (
          <section className="panel" aria-labelledby="ops-heading">
            <h2 id="ops-heading">Operations</h2>
            <ul>
              {links.rabbitmq && (
                <li>
                  <a href={links.rabbitmq} target="_blank" rel="noreferrer">
                    RabbitMQ management
                  </a>{' '}
                  — queues, consumers, dead letters
                </li>
              )}
              {links.adminer && (
                <li>
                  <a href={links.adminer} target="_blank" rel="noreferrer">
                    Adminer
                  </a>{' '}
                  — the PostgreSQL database
                </li>
              )}
            </ul>
          </section>
        )}
      </div>
    </section>
  );
}
