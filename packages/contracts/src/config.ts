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
