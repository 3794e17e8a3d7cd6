import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('starting the scheduler with bad settings', () => {
  it('prints every bad setting in one clear message, without a stack trace, and exits 1', () => {
    const result = spawnSync(process.execPath, [join(__dirname, '../dist/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: 'mysql://db',
        LOG_LEVEL: 'loud',
        EVENT_RETENTION_HOURS: '0.5',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(result.stderr).toContain('AMQP_URL: expected an AMQP URL');
    expect(result.stderr).toContain('LOG_LEVEL:');
    expect(result.stderr).toContain('EVENT_RETENTION_HOURS: expected at least 1 hour');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
