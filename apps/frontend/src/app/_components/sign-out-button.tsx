'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { browserApi } from '@/lib/api/client';

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button secondary small"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        // Signed out either way: an expired session is as good as a revoked one.
        await browserApi.signOut().catch(() => undefined);
        router.replace('/sign-in');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
