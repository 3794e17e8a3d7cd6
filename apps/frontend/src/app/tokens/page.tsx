import type { Metadata } from 'next';
import { orSignIn, requireAdmin } from '@/lib/api/server';
import { TokenManager } from './token-manager';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  await requireAdmin('/tokens');
  const [tokens, users] = await orSignIn('/tokens', (api) => Promise.all([api.listTokens(), api.listUsers()]));
  return (
    <section>
      <h1>API tokens</h1>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as its user.
      </p>
      <TokenManager initialTokens={tokens} users={users} />
    </section>
  );
}
