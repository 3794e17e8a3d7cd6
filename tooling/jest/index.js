// Shared jest preset: ts-jest on CommonJS, unit specs beside the code (src/**/*.spec.ts) and
// integration tests in test/ (test/**/*.test.ts). Files are transpiled one by one (isolatedModules in the
// shared tsconfig); `pnpm typecheck` does the type checking. Each run writes .reports/jest.json, which
// .ci/run totals across every package.
const { mkdirSync } = require('node:fs');
const path = require('node:path');

/** @param {string} rootDir @param {import('jest').Config} [overrides] */
function jestConfig(rootDir, overrides = {}) {
  // jest --outputFile does not create its folder.
  mkdirSync(path.join(rootDir, '.reports'), { recursive: true });
  return {
    rootDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': [
        require.resolve('ts-jest'),
        { tsconfig: path.join(rootDir, 'tsconfig.json') },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 30_000,
    // A handle left open (tfjs's wasm backend keeps some) must never hang CI after the run is over.
    forceExit: true,
    ...overrides,
  };
}

module.exports = { jestConfig };
