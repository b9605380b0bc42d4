// Browser e2e: `npx jest -c e2e/jest.config.js` after building the console and the agents (npm test does both).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'browser',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  // The backend's own tsconfig settings (decorators, metadata) are needed: the suite boots the real app in-process.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Booting the hub, the fleet and a browser takes seconds; each step waits on the UI with its own shorter timeouts.
  testTimeout: 60000,
};
