import { ConfigError } from '@foreman/contracts';
import { loadApiConfig } from './env';

const required = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/foreman',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

describe('TRUST_PROXY', () => {
  const trustProxy = (value?: string) => loadApiConfig({ ...required, TRUST_PROXY: value }).TRUST_PROXY;

  it('is a hop count, 0 (trust no proxy) when unset or empty', () => {
    expect(trustProxy()).toBe(0);
    expect(trustProxy('')).toBe(0);
    expect(trustProxy('2')).toBe(2);
  });

  it('is a list of proxy addresses, subnets and named ranges', () => {
    expect(trustProxy('loopback')).toEqual(['loopback']);
    expect(trustProxy('10.0.0.0/8, 192.0.2.7,fd00::/8, uniquelocal')).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      'fd00::/8',
      'uniquelocal',
    ]);
  });

  it.each(['11', '-1', 'proxy.example.org', '10.0.0.0/33', '10.0.0.0/8/1', 'loopback,'])(
    'refuses %j, naming the setting and what it takes',
    (value) => {
      expect(() => trustProxy(value)).toThrow(ConfigError);
      expect(() => trustProxy(value)).toThrow(
        /TRUST_PROXY: expected a hop count \(0-10\) or a comma-separated list of addresses, subnets and loopback, linklocal, uniquelocal/,
      );
    },
  );

  it('refuses its old name, TRUST_PROXY_HOPS, saying what to set instead', () => {
    expect(() => loadApiConfig({ ...required, TRUST_PROXY_HOPS: '1' })).toThrow(
      /TRUST_PROXY_HOPS: renamed TRUST_PROXY, which takes the same hop count/,
    );
  });
});
