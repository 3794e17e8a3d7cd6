import type { Metadata } from 'next';
import { orSignIn, requireUser } from '@/lib/api/server';
import { Labeller } from './_components/labeller';

export const metadata: Metadata = { title: 'Label' };

export default async function LabelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const returnTo = `/projects/${id}/label`;
  await requireUser(returnTo);
  const project = await orSignIn(returnTo, (api) => api.getProject(id));
  return <Labeller project={project} />;
}
