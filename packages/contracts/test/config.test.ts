import { z } from 'zod';
import {
  ConfigError,
  amqpUrlSchema,
  listenAddressSchema,
  parseConfig,
  portSchema,
  postgresUrlSchema,
} from '../src';

const schema = z.object({ DATABASE_URL: postgresUrlSchema, AMQP_URL: amqpUrlSchema, PORT: portSchema(4000) });

describe('parseConfig', () => {
  it('applies defaults and coerces numbers', () => {
    expect(
      parseConfig(schema, {
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        AMQP_URL: 'amqp://localhost',
        PORT: '81',
      }),
    ).toEqual({ DATABASE_URL: 'postgres://u:p@db:5432/x', AMQP_URL: 'amqp://localhost', PORT: 81 });
  });

  it('lists every bad setting at once, with what it expects, and hides passwords', () => {
    let error: unknown;
    try {
      parseConfig(schema, { DATABASE_URL: 'mysql://root:hunter2@db/x', PORT: 'eighty' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(message).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(message).toContain('AMQP_URL: expected an AMQP URL');
    expect(message).toContain('(not set)');
    expect(message).toContain('PORT:');
    expect(message).not.toContain('hunter2');
  });
});

describe('listenAddressSchema', () => {
  const listen = z.object({ HOST: listenAddressSchema });

  it('listens on this machine only unless an address is given', () => {
    expect(parseConfig(listen, {})).toEqual({ HOST: '127.0.0.1' });
    expect(parseConfig(listen, { HOST: '0.0.0.0' })).toEqual({ HOST: '0.0.0.0' });
    expect(parseConfig(listen, { HOST: '::' })).toEqual({ HOST: '::' });
  });

  it('refuses a name, saying which addresses to use', () => {
    expect(() => parseConfig(listen, { HOST: 'localhost' })).toThrow(
      'HOST: expected an IP address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface) (got "localhost")',
    );
  });
});
