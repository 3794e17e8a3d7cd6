/**
 * The back-end images run with production dependencies only. This builds each image's /app folder as its
 * Dockerfile does, without Docker: `turbo prune --docker`, the Dockerfile's own production install command
 * (from the pnpm store CI has filled), the compiled dist/ of each pruned package, and then starts the
 * services from that folder with the compose environment. Outside the repository, nothing else resolves.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/compose';
import { parseDockerfile, turboPrune } from '../src/dockerfile-check';
import { localServices, type LocalServices } from './local-services';

const APPS = ['api', 'trainer', 'scheduler'] as const;

/** The RUN instruction of the app's Dockerfile that installs production dependencies, as one shell command. */
function productionInstall(app: string): string {
  const stages = parseDockerfile(readFileSync(join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8'));
  const run = stages
    .flatMap((stage) => stage.instructions)
    .find(({ keyword, args }) => keyword === 'RUN' && args.join(' ').includes('pnpm install --prod'));
  if (!run) throw new Error(`apps/${app}/Dockerfile has no RUN with pnpm install --prod`);
  return run.args.join(' ');
}

describe('the back-end images with production dependencies only', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'foreman-image-'));
  const storeDir = execFileSync('pnpm', ['store', 'path'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  let services: LocalServices;

  beforeAll(async () => {
    services = await localServices();
  });

  afterAll(async () => {
    await services?.close();
    rmSync(outRoot, { recursive: true, force: true });
  });

  it('installs and starts each service from its image layout', async () => {
    // The three installs run at once: they mostly wait on the disk.
    const roots = await Promise.all(
      APPS.map(async (app) => {
        const root = join(turboPrune(`@foreman/${app}`, outRoot), 'json');
        for (const group of ['apps', 'packages']) {
          for (const name of existsSync(join(root, group)) ? readdirSync(join(root, group)) : []) {
            const dist = join(REPO_ROOT, group, name, 'dist');
            if (existsSync(dist)) cpSync(dist, join(root, group, name, 'dist'), { recursive: true });
          }
        }
        // The Dockerfile's own command, run in the pruned tree, from the store the repository was installed from.
        await promisify(execFile)('sh', ['-c', productionInstall(app)], {
          cwd: root,
          env: { ...process.env, npm_config_store_dir: storeDir },
          timeout: 180_000,
        });
        for (const tool of ['typescript', 'jest', 'eslint', 'ts-jest']) {
          expect({ app, tool, installed: existsSync(join(root, 'node_modules', tool)) }).toEqual({
            app,
            tool,
            installed: false,
          });
        }
        return root;
      }),
    );

    // The compose migrate service runs the api image's migrate command.
    const apiRoot = roots[0]!;
    const migrate = spawnSync(process.execPath, ['packages/database/dist/migrate.js', 'up'], {
      cwd: apiRoot,
      env: { PATH: process.env.PATH ?? '', ...services.environments.migrate },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(migrate.stderr).toBe('');

    await Promise.all(
      APPS.map((app, index) =>
        services.start(
          app,
          'dist/main.js',
          { ...services.environments[app], LOG_LEVEL: 'warn' },
          {
            cwd: join(roots[index]!, 'apps', app),
          },
        ),
      ),
    );
  }, 240_000);
});
