/**
 * Every service starts outside Docker with the environment compose gives it, the compose hosts pointed at
 * this machine's PostgreSQL and RabbitMQ. The back-end services start from their image layout, built as
 * each Dockerfile builds /app but without Docker: `turbo prune --docker`, the Dockerfile's own
 * production-only install (from the pnpm store the repository was installed from), and the compiled dist/
 * of each pruned package; outside the repository nothing else resolves. The site starts from Next's
 * standalone output, which is what its image runs.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/compose';
import { parseDockerfile, turboPrune } from '../src/dockerfile-check';
import { brokerHost, localServices, type LocalServices } from './local-services';

const BACKENDS = ['api', 'trainer', 'scheduler'] as const;

/** The RUN instruction of the app's Dockerfile that installs production dependencies, as one shell command. */
function productionInstall(app: string): string {
  const stages = parseDockerfile(readFileSync(join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8'));
  const run = stages
    .flatMap((stage) => stage.instructions)
    .find(({ keyword, args }) => keyword === 'RUN' && args.join(' ').includes('pnpm install --prod'));
  if (!run) throw new Error(`apps/${app}/Dockerfile has no RUN with pnpm install --prod`);
  return run.args.join(' ');
}

/** The image's /app for one back-end service, in a folder of `outRoot`. */
async function imageLayout(app: string, outRoot: string, storeDir: string): Promise<string> {
  const root = join(turboPrune(`@foreman/${app}`, outRoot), 'json');
  for (const group of ['apps', 'packages']) {
    for (const name of existsSync(join(root, group)) ? readdirSync(join(root, group)) : []) {
      const dist = join(REPO_ROOT, group, name, 'dist');
      if (existsSync(dist)) cpSync(dist, join(root, group, name, 'dist'), { recursive: true });
    }
  }
  await promisify(execFile)('sh', ['-c', productionInstall(app)], {
    cwd: root,
    env: { ...process.env, npm_config_store_dir: storeDir },
    timeout: 180_000,
  });
  return root;
}

describe('the services start with the compose environment', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'foreman-image-'));
  let services: LocalServices;
  let roots: Record<string, string>;

  beforeAll(async () => {
    const storeDir = execFileSync('pnpm', ['store', 'path'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    // The installs run at once: they mostly wait on the disk.
    const [local, ...layouts] = await Promise.all([
      localServices(),
      ...BACKENDS.map((app) => imageLayout(app, outRoot, storeDir)),
    ]);
    services = local;
    roots = Object.fromEntries(BACKENDS.map((app, index) => [app, layouts[index]!]));
  }, 240_000);

  afterAll(async () => {
    await services?.close();
    rmSync(outRoot, { recursive: true, force: true });
  });

  it.each(BACKENDS)('the %s image holds production dependencies only', (app) => {
    for (const tool of ['typescript', 'jest', 'ts-jest', 'eslint']) {
      expect({ tool, installed: existsSync(join(roots[app]!, 'node_modules', tool)) }).toEqual({
        tool,
        installed: false,
      });
    }
  });

  it('migrates once with the migrate service command, then api, trainer, scheduler and the site report healthy', async () => {
    const { environments } = services;
    // The migrate service runs /app/packages/database/dist/migrate.js of the api image.
    const migrate = spawnSync(process.execPath, ['packages/database/dist/migrate.js', 'up'], {
      cwd: roots.api,
      env: { PATH: process.env.PATH ?? '', ...environments.migrate },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^applied: /);

    const [apiPort] = await Promise.all(
      BACKENDS.map((app) =>
        services.start(
          app,
          'dist/main.js',
          { ...environments[app], LOG_LEVEL: 'warn' },
          { cwd: join(roots[app]!, 'apps', app) },
        ),
      ),
    );

    // Through the site's server, /api/health reaches the API at API_URL.
    const site = environments.frontend!;
    expect(site.API_URL).toBe('http://api:4000');
    await expect(
      services.start(
        'frontend',
        join(REPO_ROOT, 'apps/frontend/.next/standalone/apps/frontend/server.js'),
        { ...site, API_URL: `http://127.0.0.1:${apiPort}`, HOSTNAME: '127.0.0.1' },
        { healthPath: '/api/health' },
      ),
    ).resolves.toEqual(expect.any(Number));
  }, 150_000);

  it('refuses to start in production with a default password, saying which setting', () => {
    const result = spawnSync(process.execPath, ['dist/main.js'], {
      cwd: join(roots.api!, 'apps/api'),
      env: {
        PATH: process.env.PATH ?? '',
        ...services.environments.api,
        AMQP_URL: `amqp://guest:guest@${brokerHost}/${services.vhost}`,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AMQP_URL: must not use a well-known default password in production');
    expect(result.stderr).not.toContain('guest:guest');
  });
});
