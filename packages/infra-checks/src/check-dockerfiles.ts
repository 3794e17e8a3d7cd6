#!/usr/bin/env node
/** `pnpm --filter @foreman/infra-checks check:dockerfiles`: prunes each app and checks its Dockerfile. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_APPS, checkDockerfile, turboPrune } from './dockerfile-check';

const outRoot = mkdtempSync(join(tmpdir(), 'foreman-prune-'));
let failed = false;
try {
  for (const app of IMAGE_APPS) {
    const report = checkDockerfile(`apps/${app}/Dockerfile`, (pkg) => turboPrune(pkg, outRoot));
    if (report.prunedPackage !== `@foreman/${app}`) {
      report.problems.push(
        `apps/${app}/Dockerfile prunes ${report.prunedPackage ?? 'nothing'}, not @foreman/${app}`,
      );
    }
    failed ||= report.problems.length > 0;
    console.log(
      report.problems.length
        ? report.problems.join('\n')
        : `apps/${app}/Dockerfile: every COPY source exists`,
    );
  }
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
