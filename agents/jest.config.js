/** Agents' tests: `npx jest -c agents/jest.config.js` from the repo root. */
const path = require('node:path');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }],
  },
  moduleNameMapper: {
    '^@echocenter/contracts$': path.join(__dirname, '../contracts/src/index.ts'),
  },
  testTimeout: 20_000,
};
