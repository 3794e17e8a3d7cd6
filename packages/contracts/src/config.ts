import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates settings from the environment. Every bad setting is reported at once, each with what it
 * expects, so an operator fixes them in one go.
 */
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  source: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const received = source[name];
    const shown = received === undefined ? 'not set' : `got ${JSON.stringify(redact(name, received))}`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

function redact(name: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN/i.test(name)) return '***';
  // Credentials inside URLs stay out of logs.
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** Common settings shared by the back-end services. */
export const nodeEnvSchema = z.enum(['development', 'test', 'production']).default('development');
export const logLevelSchema = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');
export const portSchema = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/**
 * The address a service's HTTP server listens on. This machine only unless told otherwise: a container,
 * reached by the others on its network, sets 0.0.0.0 (its image does, and docker-compose says so).
 */
const listenAddressError =
  'expected an IP address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)';
export const listenAddressSchema = z
  .union([z.ipv4(), z.ipv6()], { error: listenAddressError })
  .default('127.0.0.1');
export const postgresUrlSchema = z
  .string({ error: 'expected a PostgreSQL URL such as postgres://user:password@host:5432/db' })
  .regex(
    /^postgres(ql)?:\/\/[^\s]+$/,
    'expected a PostgreSQL URL such as postgres://user:password@host:5432/db',
  );
export const amqpUrlSchema = z
  .string({ error: 'expected an AMQP URL such as amqp://user:password@host:5672' })
  .regex(/^amqps?:\/\/[^\s]+$/, 'expected an AMQP URL such as amqp://user:password@host:5672');

/**
 * How the back-end services exchange events: through RabbitMQ (production), or through the launcher's
 * in-process hub when the whole system runs from one command without a broker.
 */
export const eventTransportSettings = {
  EVENT_TRANSPORT: z.enum(['rabbitmq', 'local']).default('rabbitmq'),
  AMQP_URL: amqpUrlSchema.optional(),
};

/**
 * Adds to a service's settings schema the rule that RabbitMQ needs its URL. It runs even when other
 * settings are bad, so one message lists every problem.
 */
export function requireAmqpUrl<S extends z.ZodObject>(schema: S): S {
  return schema.refine(
    (config: { EVENT_TRANSPORT?: string; AMQP_URL?: string }) => config.EVENT_TRANSPORT === 'local' || !!config.AMQP_URL,
    {
      path: ['AMQP_URL'],
      message: 'expected an AMQP URL such as amqp://user:password@host:5672 (or EVENT_TRANSPORT=local under the launcher)',
      when: () => true,
    },
  ) as S;
}

/** Passwords that ship as examples or image defaults: anyone can guess them. */
const WELL_KNOWN_PASSWORDS = new Set([
  'guest',
  'postgres',
  'password',
  'changeme',
  'change-me',
  'secret',
  'admin',
  'root',
  'rabbitmq',
  'foreman',
]);

/**
 * What is wrong with one secret-bearing setting in production, or undefined when it is fine: a database or
 * broker URL without a password or with a well-known one, or an empty or well-known *_PASSWORD / *_SECRET.
 */
export function productionSecretProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/(PASSWORD|SECRET)$/.test(name)) {
    if (value.trim() === '') return 'must not be empty in production';
    if (WELL_KNOWN_PASSWORDS.has(value.toLowerCase()))
      return 'must not be a well-known default in production';
    return undefined;
  }
  if (!/^(postgres(ql)?|amqps?):\/\//.test(value)) return undefined;
  let password: string;
  try {
    password = decodeURIComponent(new URL(value).password);
  } catch {
    return undefined; // the URL's own schema reports a malformed URL
  }
  if (password === '') return 'needs a password in production (user:password@host)';
  if (WELL_KNOWN_PASSWORDS.has(password.toLowerCase())) {
    return 'must not use a well-known default password in production';
  }
  return undefined;
}

/**
 * Adds to a service's settings schema the rule that with NODE_ENV=production it refuses to start on empty or
 * default secrets (see productionSecretProblem). Like requireAmqpUrl, it runs even when other settings are bad.
 */
export function refuseDefaultSecretsInProduction<S extends z.ZodObject>(schema: S): S {
  return schema.superRefine(
    (config: Record<string, unknown>, context) => {
      if (config?.NODE_ENV !== 'production') return;
      for (const [name, value] of Object.entries(config)) {
        const problem = productionSecretProblem(name, value);
        if (problem) context.addIssue({ code: 'custom', path: [name], message: problem });
      }
    },
    { when: () => true },
  ) as S;
}
