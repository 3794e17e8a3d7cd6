import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/api/server';
import { ProjectForm } from '../_components/project-form';

export const metadata: Metadata = { title: 'New project' };

export default async function NewProjectPage() {
  await requireAdmin('/projects/new');
  return (
    <section className="narrow">
      <h1>New project</h1>
      <ProjectForm />
    </section>
  );
}
