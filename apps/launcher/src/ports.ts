import { createServer } from 'node:net';

/** A port the launcher will listen on, with the setting that chooses it. */
export interface PortClaim {
  setting: string;
  port: number;
  /** Unset: every interface (the site). PostgreSQL and the back-end services listen on loopback only. */
  host?: string;
}

/**
 * Checks every port before anything starts, so a taken one gives one clear message naming its setting
 * instead of a half-started system.
 */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  const problems: string[] = [];
  let firstTaken: PortClaim | undefined;
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other) {
      problems.push(`${claim.setting} and ${other} are both ${claim.port}`);
      continue;
    }
    seen.set(claim.port, claim.setting);
    const error = await tryListen(claim.port, claim.host);
    if (error) {
      firstTaken ??= claim;
      problems.push(
        error === 'EADDRINUSE'
          ? `port ${claim.port} (${claim.setting}) is in use by another program`
          : `port ${claim.port} (${claim.setting}) cannot be used: ${error}`,
      );
    }
  }
  if (problems.length > 0) {
    const example = firstTaken ? `, e.g. ${firstTaken.setting}=${firstTaken.port + 1} pnpm start` : '';
    throw new Error(`${problems.join('; ')}. Stop that program or choose other ports${example}`);
  }
}

function tryListen(port: number, host?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}
