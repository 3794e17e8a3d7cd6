/**
 * Checks that every COPY in a Dockerfile copies something that exists, by performing the `turbo prune` the
 * Dockerfile performs and following each stage's files: the build context (the repository less
 * .dockerignore), the pruned output, and what `turbo run build` produces (dist/, .next/ of pruned packages).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix, join } from 'node:path';
import { REPO_ROOT } from './compose';

export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string[];
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const start = index + 1;
    let line = lines[index]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && index + 1 < lines.length) {
      index += 1;
      const next = lines[index]!;
      line = line.replace(/\\\s*$/, ' ') + (/^\s*#/.test(next) ? '' : next);
    }
    const [keyword = '', ...rest] = line.trim().split(/\s+/);
    const flags: Record<string, string> = {};
    while (rest[0]?.startsWith('--')) {
      const [flag, value = ''] = rest.shift()!.slice(2).split('=');
      flags[flag!] = value;
    }
    const instruction = { keyword: keyword.toUpperCase(), flags, args: rest, line: start };
    if (instruction.keyword === 'FROM') {
      const as = rest.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        name: as >= 0 ? rest[as + 1]! : String(stages.length),
        from: rest[0]!,
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return stages;
}

/** .dockerignore rules in order; the last matching rule wins (`!` re-includes). */
export function dockerignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize(line.replace(/^!/, '').replace(/^\//, '')).replace(/\/$/, '');
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '(?:.*)'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
      // A rule matching a folder excludes everything in it.
      return { negated, regex: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negated;
    return ignored;
  };
}

type Source = { kind: 'host'; dir: string } | { kind: 'built' };
type Mounts = { container: string; source: Source }[];

export interface DockerfileReport {
  dockerfile: string;
  prunedPackage?: string;
  problems: string[];
}

function absolute(workdir: string, path: string): string {
  return posix.resolve(workdir, path);
}

/** Where a container path of a stage comes from, most recent copy first. */
function resolvePath(mounts: Mounts, path: string): { source: Source; rest: string }[] {
  return mounts
    .filter(
      ({ container }) => path === container || path.startsWith(container === '/' ? '/' : `${container}/`),
    )
    .reverse()
    .map(({ container, source }) => ({ source, rest: posix.relative(container, path) }));
}

function existsIn(candidates: { source: Source; rest: string }[]): boolean {
  return candidates.some(({ source, rest }) => source.kind === 'built' || existsSync(join(source.dir, rest)));
}

/**
 * Follows one Dockerfile. `prune(pkg)` runs `turbo prune <pkg> --docker` and returns its output folder.
 * Build outputs are the dist/ and .next/ folders (turbo.json's build outputs) of the pruned workspace packages.
 */
export function checkDockerfile(
  dockerfile: string,
  prune: (pkg: string) => string,
  repoRoot = REPO_ROOT,
): DockerfileReport {
  const text = readFileSync(join(repoRoot, dockerfile), 'utf8');
  const ignorePath = join(repoRoot, '.dockerignore');
  const ignored = dockerignoreMatcher(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : '');
  const report: DockerfileReport = { dockerfile, problems: [] };
  const stageMounts = new Map<string, Mounts>();
  const stageWorkdirs = new Map<string, string>();
  let prunedOut: string | undefined;

  for (const stage of parseDockerfile(text)) {
    const mounts: Mounts = [...(stageMounts.get(stage.from) ?? [])];
    let workdir = stageWorkdirs.get(stage.from) ?? '/';
    for (const { keyword, flags, args, line } of stage.instructions) {
      const where = `${dockerfile}:${line}`;
      if (keyword === 'WORKDIR') workdir = absolute(workdir, args[0]!);
      if (keyword === 'RUN') {
        const command = args.join(' ');
        const pruneMatch = /turbo(?:@\S+)? prune (\S+)(.*)$/.exec(command);
        if (pruneMatch) {
          report.prunedPackage = pruneMatch[1]!;
          if (!/--docker\b/.test(pruneMatch[2]!))
            report.problems.push(`${where}: turbo prune without --docker`);
          const outDir = /--out-dir[= ](\S+)/.exec(pruneMatch[2]!)?.[1] ?? 'out';
          prunedOut = prune(report.prunedPackage);
          mounts.push({ container: absolute(workdir, outDir), source: { kind: 'host', dir: prunedOut } });
        }
        if (/turbo run build/.test(command) && prunedOut) {
          // What the build writes: dist/ and .next/ (turbo.json's build outputs) of each pruned package.
          for (const group of ['apps', 'packages']) {
            const dir = join(prunedOut, 'full', group);
            for (const name of existsSync(dir) ? readdirSync(dir) : []) {
              for (const output of ['dist', '.next']) {
                mounts.push({
                  container: absolute(workdir, `${group}/${name}/${output}`),
                  source: { kind: 'built' },
                });
              }
            }
          }
        }
      }
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      const sources = args.slice(0, -1);
      const destination = absolute(workdir, args[args.length - 1]!);
      for (const source of sources) {
        if (flags.from !== undefined) {
          const from = stageMounts.get(flags.from);
          if (!from) {
            report.problems.push(`${where}: COPY --from=${flags.from} names no earlier stage`);
            continue;
          }
          const path = absolute('/', source);
          const candidates = resolvePath(from, path);
          if (candidates.length === 0 || !existsIn(candidates)) {
            report.problems.push(
              `${where}: ${source} does not exist in stage ${flags.from} after turbo prune`,
            );
          }
          const hostDir = candidates.find(
            (c) => c.source.kind === 'host' && existsSync(join(c.source.dir, c.rest)),
          );
          mounts.push({
            container: destination,
            source:
              hostDir?.source.kind === 'host'
                ? { kind: 'host', dir: join(hostDir.source.dir, hostDir.rest) }
                : { kind: 'built' },
          });
        } else {
          const relative = posix.normalize(source).replace(/\/$/, '');
          if (relative !== '.' && !existsSync(join(repoRoot, relative))) {
            report.problems.push(`${where}: ${source} does not exist in the repository`);
          } else if (relative !== '.' && ignored(relative)) {
            report.problems.push(`${where}: ${source} is excluded by .dockerignore`);
          }
          mounts.push({ container: destination, source: { kind: 'host', dir: join(repoRoot, relative) } });
        }
      }
    }
    stageMounts.set(stage.name, mounts);
    stageWorkdirs.set(stage.name, workdir);
  }
  if (!report.prunedPackage) report.problems.push(`${dockerfile}: no RUN turbo prune <package> --docker`);
  return report;
}

/** Runs `turbo prune <pkg> --docker` into a folder of `outRoot` and returns that folder. */
export function turboPrune(pkg: string, outRoot: string, repoRoot = REPO_ROOT): string {
  const outDir = join(outRoot, pkg.replace(/[@/]/g, '_'));
  execFileSync(join(repoRoot, 'node_modules/.bin/turbo'), ['prune', pkg, '--docker', `--out-dir=${outDir}`], {
    cwd: repoRoot,
    stdio: 'pipe',
    // eslint-disable-next-line no-restricted-properties -- a tool run with this process's environment
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  return outDir;
}

/** The apps that ship as images, each with its Dockerfile. */
export const IMAGE_APPS = ['api', 'trainer', 'scheduler', 'frontend'] as const;
