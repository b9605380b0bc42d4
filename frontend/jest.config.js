// Run from the repo root: npx jest -c frontend/jest.config.js
const path = require('node:path');
const { createCjsPreset } = require('jest-preset-angular/presets');

const preset = createCjsPreset({
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  // Transpile-only CommonJS for Jest; type checking of specs is `tsc -p frontend/tsconfig.spec.json`.
  tsconfig: path.join(__dirname, 'tsconfig.jest.json'),
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
