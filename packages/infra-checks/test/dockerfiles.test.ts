import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/compose';
import {
  IMAGE_APPS,
  checkDockerfile,
  dockerignoreMatcher,
  parseDockerfile,
  turboPrune,
} from '../src/dockerfile-check';

describe('the Dockerfiles', () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'foreman-prune-'));
  const pruned = new Map<string, string>();
  const prune = (pkg: string) => {
    if (!pruned.has(pkg)) pruned.set(pkg, turboPrune(pkg, outRoot));
    return pruned.get(pkg)!;
  };
  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  it.each(IMAGE_APPS)('apps/%s/Dockerfile copies only paths that exist after turbo prune', (app) => {
    const report = checkDockerfile(`apps/${app}/Dockerfile`, prune);
    expect(report.prunedPackage).toBe(`@foreman/${app}`);
    expect(report.problems).toEqual([]);
  });

  it.each(IMAGE_APPS)(
    'apps/%s/Dockerfile builds in stages and runs as a non-root user with a health check',
    (app) => {
      const text = readFileSync(join(REPO_ROOT, `apps/${app}/Dockerfile`), 'utf8');
      const stages = parseDockerfile(text);
      expect(stages.length).toBeGreaterThanOrEqual(3);
      const runtime = stages[stages.length - 1]!.instructions;
      const user = runtime.filter((instruction) => instruction.keyword === 'USER').pop();
      expect(user?.args[0]).toBe('node');
      expect(runtime.some((instruction) => instruction.keyword === 'HEALTHCHECK')).toBe(true);
      expect(text).toContain('pnpm install --frozen-lockfile');
      // Production dependencies only: a --prod install, or Next's traced standalone output for the site.
      expect(text).toMatch(
        app === 'frontend' ? /\.next\/standalone/ : /pnpm install --prod --frozen-lockfile/,
      );
    },
  );

  it('reports a COPY of a path the prune does not produce, and one the context does not have', () => {
    const repo = mkdtempSync(join(tmpdir(), 'foreman-dockerfile-'));
    try {
      mkdirSync(join(repo, 'apps/api'), { recursive: true });
      writeFileSync(join(repo, '.dockerignore'), '**/node_modules\nsecrets\n');
      mkdirSync(join(repo, 'secrets'));
      writeFileSync(
        join(repo, 'apps/api/Dockerfile'),
        [
          'FROM node:20 AS prune',
          'WORKDIR /repo',
          'COPY . .',
          'RUN turbo prune @foreman/api --docker',
          'FROM node:20 AS build',
          'WORKDIR /repo',
          'COPY --from=prune /repo/out/json/ ./',
          'COPY --from=prune /repo/out/full/apps/launcher/ ./apps/launcher/',
          'COPY missing.txt secrets/ ./',
        ].join('\n'),
      );
      const report = checkDockerfile('apps/api/Dockerfile', prune, repo);
      expect(report.problems).toEqual([
        'apps/api/Dockerfile:8: /repo/out/full/apps/launcher/ does not exist in stage prune after turbo prune',
        'apps/api/Dockerfile:9: missing.txt does not exist in the repository',
        'apps/api/Dockerfile:9: secrets/ is excluded by .dockerignore',
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignoreMatcher(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

  it('keeps what is installed, built or secret on this machine out of the build context', () => {
    for (const path of [
      'node_modules',
      'apps/api/node_modules',
      'apps/api/dist',
      'apps/frontend/.next',
      '.env',
      '.git',
      '.data',
    ]) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
  });

  it('keeps the sources, the lockfile, the demo data and .env.example in it', () => {
    for (const path of [
      'apps/api/src/main.ts',
      'pnpm-lock.yaml',
      'data/demo/digits.csv.gz',
      '.env.example',
      'turbo.json',
    ]) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: false });
    }
  });
});
