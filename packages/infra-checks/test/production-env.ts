import { randomBytes } from 'node:crypto';

/** What an operator puts in .env for compose: real secrets, everything else left to its default. */
export function productionEnv(overrides: Record<string, string> = {}): Map<string, string> {
  const secret = () => randomBytes(18).toString('hex');
  return new Map(
    Object.entries({
      POSTGRES_PASSWORD: secret(),
      RABBITMQ_PASSWORD: secret(),
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: `correct-horse-${secret()}`,
      ...overrides,
    }),
  );
}
