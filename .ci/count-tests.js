// Totals every test runner's JSON report (jest: .reports/jest.json, Playwright: .reports/playwright.json)
// and prints the closing line "N passed, N failed". Exits 1 when anything failed, when no test ran, or
// when the test command failed without a report saying why (a crash or a build error counts as a failure).
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const testCommandStatus = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
// CI keeps only the tail of its log, so the failures are named again just above the closing line.
const failures = [];

function firstLines(text, count = 6) {
  // Strips terminal colours; the record is read as plain text.
  return String(text).replace(/\u001b\[[0-9;]*m/g, '').split('\n').slice(0, count).join('\n    ');
}

function collectPlaywrightFailures(suites, file) {
  for (const suite of suites ?? []) {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const result = test.results?.at(-1);
        if (test.status === 'unexpected') failures.push(`${file} › ${spec.title}\n    ${firstLines(result?.error?.message ?? '')}`);
      }
    }
    collectPlaywrightFailures(suite.suites, file);
  }
}

for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(join(root, group))) {
    const reports = join(root, group, name, '.reports');
    if (!existsSync(reports)) continue;
    // Only the runners' own reports: other JSON there (measurements) is not a test count.
    for (const file of readdirSync(reports).filter((f) => f === 'jest.json' || f === 'playwright.json')) {
      const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
      if (report.stats && 'expected' in report.stats) {
        passed += report.stats.expected + (report.stats.flaky ?? 0);
        failed += report.stats.unexpected;
        skipped += report.stats.skipped;
        if (report.errors?.length) failed += report.errors.length;
        collectPlaywrightFailures(report.suites, `${group}/${name}`);
        for (const error of report.errors ?? []) failures.push(`${group}/${name}: ${firstLines(error.message)}`);
      } else {
        passed += report.numPassedTests;
        failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
        skipped += report.numPendingTests + (report.numTodoTests ?? 0);
        for (const suite of report.testResults ?? []) {
          const file = suite.name.slice(root.length + 1);
          if (suite.status === 'failed' && !suite.assertionResults?.length) failures.push(`${file}\n    ${firstLines(suite.message)}`);
          for (const test of suite.assertionResults ?? []) {
            if (test.status === 'failed') failures.push(`${file} › ${test.fullName}\n    ${firstLines(test.failureMessages.join('\n'))}`);
          }
        }
      }
    }
  }
}

if (![passed, failed, skipped].every(Number.isFinite)) {
  console.error('a test report could not be read');
  failed = Number.isFinite(failed) ? failed + 1 : 1;
  passed = Number.isFinite(passed) ? passed : 0;
}
if (testCommandStatus !== 0 && failed === 0) {
  console.error(`the test command exited ${testCommandStatus} without a failing test in any report`);
  failed += 1;
}
if (passed === 0) console.error('no test ran');
if (failures.length) console.log(`\nfailed:\n${failures.map((failure) => `  ${failure}`).join('\n')}\n`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
