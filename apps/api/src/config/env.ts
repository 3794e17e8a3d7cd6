import { isIP } from 'node:net';
import { z } from 'zod';
import {
  ConfigError,
  eventTransportSettings,
  listenAddressSchema,
  logLevelSchema,
  nodeEnvSchema,
  parseConfig,
  refuseDefaultSecretsInProduction,
  requireAmqpUrl,
  portSchema,
  postgresUrlSchema,
} from '@foreman/contracts';

const booleanSetting = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Names Express accepts for a range of addresses, beside addresses and subnets (10.0.0.0/8). */
const ADDRESS_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * A hop count (0 or empty: trust no proxy), or a comma-separated list of the proxies' addresses, subnets
 * and ADDRESS_RANGES (`loopback`: a site on the same machine, as the launcher runs it).
 */
const trustProxySetting = z.string().transform((value, ctx): number | string[] => {
  const hops = value.trim();
  if (/^\d*$/.test(hops) && Number(hops) <= 10) return Number(hops);
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every(isAddressOrRange)) return entries;
  ctx.addIssue({
    code: 'custom',
    message: `expected a hop count (0-10) or a comma-separated list of addresses, subnets and ${ADDRESS_RANGES.join(', ')}`,
  });
  return z.NEVER;
});

function isAddressOrRange(entry: string): boolean {
  if (ADDRESS_RANGES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

/** An unset or empty setting (`ADMIN_PASSWORD=` in a copied .env.example) both mean "not set". */
const optionalSetting = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Words that make up the passwords people try first; one of them plus digits or symbols is no better. */
const COMMON_PASSWORD =
  /^(?:admin|administrator|password|passw0rd|changeme|change-me|foreman|letmein|qwerty|qwertyuiop|secret|test|default|welcome|abcdefghijkl)[\d\W_]*$/;

/** Whether a production admin password is too easy to guess, however long it is. */
function isGuessable(password: string, email: string | undefined): boolean {
  const lower = password.toLowerCase();
  const localPart = email?.split('@')[0]?.toLowerCase();
  return (
    COMMON_PASSWORD.test(lower) ||
    /^\d+$/.test(password) ||
    new Set(lower).size < 5 ||
    (localPart !== undefined && localPart.length >= 3 && lower.includes(localPart))
  );
}

export const apiEnvSchema = requireAmqpUrl(
  z.object({
    NODE_ENV: nodeEnvSchema,
    PORT: portSchema(4000),
    /** The address it listens on (HOST=0.0.0.0: every interface, as in a container). */
    HOST: listenAddressSchema,
    LOG_LEVEL: logLevelSchema,
    DATABASE_URL: postgresUrlSchema,
    ...eventTransportSettings,
    /** Apply pending migrations on start (under an advisory lock, so several API instances are safe). */
    RUN_MIGRATIONS: booleanSetting.default(true),
    /** The first admin, created on start when no user has this email; never overwritten afterwards. */
    ADMIN_EMAIL: optionalSetting(z.email('expected an email address').max(320)),
    ADMIN_PASSWORD: optionalSetting(
      z.string().min(12, 'expected a password of at least 12 characters').max(1024),
    ),
    /** How long a sign-in lasts. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /** Mark the session cookie Secure (HTTPS only). Only turn off for plain-HTTP set-ups. */
    COOKIE_SECURE: booleanSetting.default(true),
    /** Sign-in attempts per minute for one client address and email (the address alone gets 10×). */
    SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(5),
    /**
     * Reverse proxies in front of the API whose X-Forwarded-For is trusted, so rate limits see the client's
     * address rather than the proxy's (Express `trust proxy`): how many hops, or the proxies' addresses.
     */
    TRUST_PROXY: trustProxySetting.default(0),
    /** Create the "Digits (demo)" project (1,797 items) on start when it does not exist yet. */
    SEED_DEMO: booleanSetting.default(false),
    /** The demo data file; unset: data/demo/digits.csv.gz of the repository. */
    DEMO_DATA_PATH: z.string().optional(),
  }),
).superRefine(
  (config, ctx) => {
    if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
      const missing = config.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'set ADMIN_EMAIL and ADMIN_PASSWORD together (the first admin account)',
      });
    }
    const password = config.ADMIN_PASSWORD;
    const email = typeof config.ADMIN_EMAIL === 'string' ? config.ADMIN_EMAIL : undefined;
    if (config.NODE_ENV === 'production' && typeof password === 'string') {
      if (isGuessable(password, email)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ADMIN_PASSWORD'],
          message: 'too easy to guess for production; use a long random password',
        });
      }
    }
    // Runs even when other settings are bad, so one message lists every problem.
  },
  { when: () => true },
);

export type ApiConfig = z.infer<typeof apiEnvSchema>;
export const API_CONFIG = Symbol('API_CONFIG');

/** Reads and validates the API's settings; throws ConfigError listing every bad one. */
export function loadApiConfig(source: Record<string, string | undefined> = process.env): ApiConfig {
  // A deployment that still sets the old name would otherwise trust no proxy without a word, and its
  // sign-in limits would then count every client as the proxy.
  if (source.TRUST_PROXY_HOPS !== undefined) {
    throw new ConfigError([
      "TRUST_PROXY_HOPS: renamed TRUST_PROXY, which takes the same hop count (or the proxies' addresses); set that instead",
    ]);
  }
  return parseConfig(refuseDefaultSecretsInProduction(apiEnvSchema), source);
}
