import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const main = join(__dirname, '../dist/main.js');

function startApi(env: Record<string, string>) {
  return spawnSync(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('starting the API with bad settings', () => {
  it('prints every bad setting in one clear message, without a stack trace, and exits 1', () => {
    const result = startApi({ DATABASE_URL: 'localhost:5432/foreman', PORT: 'http' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(result.stderr).toContain('AMQP_URL: expected an AMQP URL');
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unreachable database in one line', () => {
    const result = startApi({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/foreman',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^api failed to start: .*ECONNREFUSED/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
