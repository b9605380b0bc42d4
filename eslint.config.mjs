// ESLint for the whole tree (issue 26): typescript-eslint's recommended rules with type information, promises
// that must be awaited or explicitly voided, and angular-eslint for the console's classes and templates.
// Formatting is Prettier's job (.prettierrc.json); `npm run lint` runs both, and `npm test` runs `npm run lint` first.
import tseslint from 'typescript-eslint';
import angular from '@angular-eslint/eslint-plugin';
import angularTemplate from '@angular-eslint/eslint-plugin-template';
import templateParser from '@angular-eslint/template-parser';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.angular/**',
      'data/**',
      'test-artifacts/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests, drills and benchmarks handle untyped wire data on purpose (malformed payloads, raw frames).
    files: [
      '**/test/**/*.ts',
      '**/*.spec.ts',
      'e2e/**/*.ts',
      'drills/**/*.ts',
      'bench/**/*.ts',
      'frontend/src/testing/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['frontend/src/**/*.ts'],
    plugins: { '@angular-eslint': angular },
    processor: angularTemplate.processors['extract-inline-html'],
    rules: angular.configs.recommended.rules,
  },
  {
    files: ['frontend/src/**/*.html'],
    plugins: { '@angular-eslint/template': angularTemplate },
    languageOptions: { parser: templateParser },
    rules: angularTemplate.configs.recommended.rules,
  },
);
