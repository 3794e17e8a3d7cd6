// Shared flat config: typescript-eslint's recommended rules plus the repo's one rule of its own,
// that settings are read from process.env only in each app's validated config/env.ts.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');

module.exports = tseslint.config(
  {
    ignores: [
      'dist/**',
      '.next/**',
      'coverage/**',
      '.reports/**',
      'next-env.d.ts',
      '*.config.js',
      '*.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings from the validated config/env.ts.' },
      ],
    },
  },
  {
    // Plain CommonJS scripts and config files.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: [
      '**/env.ts',
      '**/config/env.ts',
      '**/test/**',
      '**/*.spec.ts',
      '**/e2e/**',
      '**/bench/**',
      '**/scripts/**',
      '**/playwright.config.ts',
      '**/next.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
