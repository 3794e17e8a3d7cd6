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
      } else {
        passed += report.numPassedTests;
        failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
        skipped += report.numPendingTests + (report.numTodoTests ?? 0);
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
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
