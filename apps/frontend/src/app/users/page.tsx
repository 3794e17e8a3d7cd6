import type { Metadata } from 'next';
import { orSignIn, requireAdmin } from '@/lib/api/server';
import { UserManager } from './user-manager';

export const metadata: Metadata = { title: 'Labellers' };

export default async function UsersPage() {
  const me = await requireAdmin('/users');
  const users = await orSignIn('/users', (api) => api.listUsers());
  return (
    <section>
      <h1>Labellers and admins</h1>
      <UserManager initialUsers={users} myId={me.id} />
    </section>
  );
}
