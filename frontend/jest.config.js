// Run from the repo root: npx jest -c frontend/jest.config.js
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');

const preset = createCjsPreset({
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  tsconfig: path.join(__dirname, 'tsconfig.spec.json'),
});

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'frontend',
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
  setupFilesAfterEnv: ['<rootDir>/src/setup-jest.ts'],
  moduleNameMapper: {
    '^@echocenter/contracts$': '<rootDir>/../contracts/src/index.ts',
  },
  // marked ships ESM only; let the preset transform it for the CommonJS runtime.
  transformIgnorePatterns: ['node_modules/(?!.*\\.mjs$|marked|@angular)'],
};
