import type { Metadata } from 'next';
import Link from 'next/link';
import { orSignIn, requireAdmin } from '@/lib/api/server';
import { serviceLinks } from '@/lib/service-links';
import { ArchivedNotice } from './_components/archived-notice';
import { Dashboard } from './_components/dashboard';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const returnTo = `/projects/${id}`;
  await requireAdmin(returnTo);
  const [project, progress, models] = await orSignIn(returnTo, (api) =>
    Promise.all([api.getProject(id), api.progress(id), api.models(id).catch(() => [])]),
  );
  const links = await serviceLinks();
  return (
    <section>
      <div className="page-title">
        <h1>{project.name}</h1>
        <div className="actions">
          <Link className="button" href={`/projects/${id}/label`}>
            Label
          </Link>
          <Link className="button secondary" href={`/projects/${id}/settings`}>
            Settings and import
          </Link>
        </div>
      </div>
      {project.archived && <ArchivedNotice />}
      <Dashboard project={project} initialProgress={progress} initialModels={models} links={links} />
    </section>
  );
}
